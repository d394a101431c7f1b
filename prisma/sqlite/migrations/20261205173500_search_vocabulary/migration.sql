-- The words of the events' FTS5 index (fts5vocab), so that a prefix in `q` can be spelled out as
-- the words it starts (src/db/text-search.ts, spelledOutMatch): a read-only view, nothing to fill.
CREATE VIRTUAL TABLE "events_search_vocab" USING fts5vocab("events_search", row);
