-- Full-text search for `q` (src/db/text-search.ts): accent- and case-insensitive word prefixes.
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
-- unaccent() is only STABLE (its dictionary could change), and an index needs an IMMUTABLE wrapper,
-- schema-qualified so that it works whatever the search_path of the session using it.
CREATE OR REPLACE FUNCTION ledger_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
CREATE INDEX "events_search" ON "events" USING GIN (to_tsvector('simple'::regconfig, ledger_unaccent(coalesce(title, '') || ' ' || coalesce(description, ''))));
CREATE INDEX "actors_search" ON "actors" USING GIN (to_tsvector('simple'::regconfig, ledger_unaccent(coalesce(name, ''))));
CREATE INDEX "actor_aliases_search" ON "actor_aliases" USING GIN (to_tsvector('simple'::regconfig, ledger_unaccent(coalesce(alias, ''))));
CREATE INDEX "statements_search" ON "statements" USING GIN (to_tsvector('simple'::regconfig, ledger_unaccent(coalesce(summary, '') || ' ' || coalesce(quote, ''))));
CREATE INDEX "sources_search" ON "sources" USING GIN (to_tsvector('simple'::regconfig, ledger_unaccent(coalesce(title, '') || ' ' || coalesce(text, ''))));
