-- Full-text search for `q` (src/db/text-search.ts): accent- and case-insensitive word prefixes.
-- events: an FTS5 index of title, description, keyed by the rowid of events_search_rows (its rowids never change, while those of events may on VACUUM).
CREATE TABLE "events_search_rows" ("rowid" INTEGER NOT NULL PRIMARY KEY, "id" TEXT NOT NULL UNIQUE);
CREATE VIRTUAL TABLE "events_search" USING fts5(title, description, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO "events_search_rows" ("id") SELECT "id" FROM "events" ORDER BY "id";
INSERT INTO "events_search" (rowid, title, description) SELECT r.rowid, t.title, t.description FROM "events" t JOIN "events_search_rows" r ON r.id = t.id;
CREATE TRIGGER "events_search_insert" AFTER INSERT ON "events" BEGIN
  INSERT INTO "events_search_rows" ("id") VALUES (new.id);
  INSERT INTO "events_search" (rowid, title, description) VALUES ((SELECT rowid FROM events_search_rows WHERE id = new.id), new.title, new.description);
END;
CREATE TRIGGER "events_search_update" AFTER UPDATE OF title, description ON "events" BEGIN
  UPDATE "events_search" SET title = new.title, description = new.description WHERE rowid = (SELECT rowid FROM events_search_rows WHERE id = new.id);
END;
CREATE TRIGGER "events_search_delete" AFTER DELETE ON "events" BEGIN
  DELETE FROM "events_search" WHERE rowid = (SELECT rowid FROM events_search_rows WHERE id = old.id);
  DELETE FROM "events_search_rows" WHERE id = old.id;
END;
-- actors: an FTS5 index of name, keyed by the rowid of actors_search_rows (its rowids never change, while those of actors may on VACUUM).
CREATE TABLE "actors_search_rows" ("rowid" INTEGER NOT NULL PRIMARY KEY, "id" TEXT NOT NULL UNIQUE);
CREATE VIRTUAL TABLE "actors_search" USING fts5(name, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO "actors_search_rows" ("id") SELECT "id" FROM "actors" ORDER BY "id";
INSERT INTO "actors_search" (rowid, name) SELECT r.rowid, t.name FROM "actors" t JOIN "actors_search_rows" r ON r.id = t.id;
CREATE TRIGGER "actors_search_insert" AFTER INSERT ON "actors" BEGIN
  INSERT INTO "actors_search_rows" ("id") VALUES (new.id);
  INSERT INTO "actors_search" (rowid, name) VALUES ((SELECT rowid FROM actors_search_rows WHERE id = new.id), new.name);
END;
CREATE TRIGGER "actors_search_update" AFTER UPDATE OF name ON "actors" BEGIN
  UPDATE "actors_search" SET name = new.name WHERE rowid = (SELECT rowid FROM actors_search_rows WHERE id = new.id);
END;
CREATE TRIGGER "actors_search_delete" AFTER DELETE ON "actors" BEGIN
  DELETE FROM "actors_search" WHERE rowid = (SELECT rowid FROM actors_search_rows WHERE id = old.id);
  DELETE FROM "actors_search_rows" WHERE id = old.id;
END;
-- actor_aliases: an FTS5 index of alias, keyed by the rowid of actor_aliases_search_rows (its rowids never change, while those of actor_aliases may on VACUUM).
CREATE TABLE "actor_aliases_search_rows" ("rowid" INTEGER NOT NULL PRIMARY KEY, "id" TEXT NOT NULL UNIQUE);
CREATE VIRTUAL TABLE "actor_aliases_search" USING fts5(alias, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO "actor_aliases_search_rows" ("id") SELECT "id" FROM "actor_aliases" ORDER BY "id";
INSERT INTO "actor_aliases_search" (rowid, alias) SELECT r.rowid, t.alias FROM "actor_aliases" t JOIN "actor_aliases_search_rows" r ON r.id = t.id;
CREATE TRIGGER "actor_aliases_search_insert" AFTER INSERT ON "actor_aliases" BEGIN
  INSERT INTO "actor_aliases_search_rows" ("id") VALUES (new.id);
  INSERT INTO "actor_aliases_search" (rowid, alias) VALUES ((SELECT rowid FROM actor_aliases_search_rows WHERE id = new.id), new.alias);
END;
CREATE TRIGGER "actor_aliases_search_update" AFTER UPDATE OF alias ON "actor_aliases" BEGIN
  UPDATE "actor_aliases_search" SET alias = new.alias WHERE rowid = (SELECT rowid FROM actor_aliases_search_rows WHERE id = new.id);
END;
CREATE TRIGGER "actor_aliases_search_delete" AFTER DELETE ON "actor_aliases" BEGIN
  DELETE FROM "actor_aliases_search" WHERE rowid = (SELECT rowid FROM actor_aliases_search_rows WHERE id = old.id);
  DELETE FROM "actor_aliases_search_rows" WHERE id = old.id;
END;
-- statements: an FTS5 index of summary, quote, keyed by the rowid of statements_search_rows (its rowids never change, while those of statements may on VACUUM).
CREATE TABLE "statements_search_rows" ("rowid" INTEGER NOT NULL PRIMARY KEY, "id" TEXT NOT NULL UNIQUE);
CREATE VIRTUAL TABLE "statements_search" USING fts5(summary, quote, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO "statements_search_rows" ("id") SELECT "id" FROM "statements" ORDER BY "id";
INSERT INTO "statements_search" (rowid, summary, quote) SELECT r.rowid, t.summary, t.quote FROM "statements" t JOIN "statements_search_rows" r ON r.id = t.id;
CREATE TRIGGER "statements_search_insert" AFTER INSERT ON "statements" BEGIN
  INSERT INTO "statements_search_rows" ("id") VALUES (new.id);
  INSERT INTO "statements_search" (rowid, summary, quote) VALUES ((SELECT rowid FROM statements_search_rows WHERE id = new.id), new.summary, new.quote);
END;
CREATE TRIGGER "statements_search_update" AFTER UPDATE OF summary, quote ON "statements" BEGIN
  UPDATE "statements_search" SET summary = new.summary, quote = new.quote WHERE rowid = (SELECT rowid FROM statements_search_rows WHERE id = new.id);
END;
CREATE TRIGGER "statements_search_delete" AFTER DELETE ON "statements" BEGIN
  DELETE FROM "statements_search" WHERE rowid = (SELECT rowid FROM statements_search_rows WHERE id = old.id);
  DELETE FROM "statements_search_rows" WHERE id = old.id;
END;
-- sources: an FTS5 index of title, text, keyed by the rowid of sources_search_rows (its rowids never change, while those of sources may on VACUUM).
CREATE TABLE "sources_search_rows" ("rowid" INTEGER NOT NULL PRIMARY KEY, "id" TEXT NOT NULL UNIQUE);
CREATE VIRTUAL TABLE "sources_search" USING fts5(title, text, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO "sources_search_rows" ("id") SELECT "id" FROM "sources" ORDER BY "id";
INSERT INTO "sources_search" (rowid, title, text) SELECT r.rowid, t.title, t.text FROM "sources" t JOIN "sources_search_rows" r ON r.id = t.id;
CREATE TRIGGER "sources_search_insert" AFTER INSERT ON "sources" BEGIN
  INSERT INTO "sources_search_rows" ("id") VALUES (new.id);
  INSERT INTO "sources_search" (rowid, title, text) VALUES ((SELECT rowid FROM sources_search_rows WHERE id = new.id), new.title, new.text);
END;
CREATE TRIGGER "sources_search_update" AFTER UPDATE OF title, text ON "sources" BEGIN
  UPDATE "sources_search" SET title = new.title, text = new.text WHERE rowid = (SELECT rowid FROM sources_search_rows WHERE id = new.id);
END;
CREATE TRIGGER "sources_search_delete" AFTER DELETE ON "sources" BEGIN
  DELETE FROM "sources_search" WHERE rowid = (SELECT rowid FROM sources_search_rows WHERE id = old.id);
  DELETE FROM "sources_search_rows" WHERE id = old.id;
END;
