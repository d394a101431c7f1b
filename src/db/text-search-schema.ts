import type { DatabaseProvider } from './database-url.js';

// The text-search indexes behind `q` (see text-search.ts for how they are queried): which
// columns of which tables are indexed, and the migration SQL that creates them. Free of the
// database client, so that scripts/prisma.ts can use it before the client is generated.

export interface SearchTarget {
  /** The table, as named in the database; its key column is `id`. */
  table: string;
  /** The text columns searched together. */
  columns: string[];
}

export const SEARCH_TARGETS = {
  events: { table: 'events', columns: ['title', 'description'] },
  actors: { table: 'actors', columns: ['name'] },
  actorAliases: { table: 'actor_aliases', columns: ['alias'] },
  statements: { table: 'statements', columns: ['summary', 'quote'] },
  sources: { table: 'sources', columns: ['title', 'text'] },
} as const satisfies Record<string, SearchTarget>;

/** The PostgreSQL expression the GIN index is built on, over `alias`'s columns. */
export function documentExpression(target: SearchTarget, alias?: string): string {
  const column = (name: string) => (alias ? `${alias}.${name}` : name);
  const text = target.columns.map((name) => `coalesce(${column(name)}, '')`).join(` || ' ' || `);
  return `to_tsvector('simple'::regconfig, ledger_unaccent(${text}))`;
}

/** The statements that create a target's index and keep it current. */
export function searchIndexSql(provider: DatabaseProvider, target: SearchTarget): string[] {
  const { table, columns } = target;
  if (provider === 'postgresql') {
    return [`CREATE INDEX "${table}_search" ON "${table}" USING GIN (${documentExpression(target)});`];
  }
  const index = `${table}_search`;
  const rows = `${table}_search_rows`;
  const list = columns.join(', ');
  const values = (row: string) => columns.map((name) => `${row}.${name}`).join(', ');
  const rowOf = (row: string) => `(SELECT rowid FROM ${rows} WHERE id = ${row}.id)`;
  return [
    `-- ${table}: an FTS5 index of ${list}, keyed by the rowid of ${rows} (its rowids never change, while those of ${table} may on VACUUM).`,
    `CREATE TABLE "${rows}" ("rowid" INTEGER NOT NULL PRIMARY KEY, "id" TEXT NOT NULL UNIQUE);`,
    `CREATE VIRTUAL TABLE "${index}" USING fts5(${list}, tokenize = 'unicode61 remove_diacritics 2');`,
    `INSERT INTO "${rows}" ("id") SELECT "id" FROM "${table}" ORDER BY "id";`,
    `INSERT INTO "${index}" (rowid, ${list}) SELECT r.rowid, ${values('t')} FROM "${table}" t JOIN "${rows}" r ON r.id = t.id;`,
    `CREATE TRIGGER "${index}_insert" AFTER INSERT ON "${table}" BEGIN
  INSERT INTO "${rows}" ("id") VALUES (new.id);
  INSERT INTO "${index}" (rowid, ${list}) VALUES (${rowOf('new')}, ${values('new')});
END;`,
    `CREATE TRIGGER "${index}_update" AFTER UPDATE OF ${list} ON "${table}" BEGIN
  UPDATE "${index}" SET ${columns.map((name) => `${name} = new.${name}`).join(', ')} WHERE rowid = ${rowOf('new')};
END;`,
    `CREATE TRIGGER "${index}_delete" AFTER DELETE ON "${table}" BEGIN
  DELETE FROM "${index}" WHERE rowid = ${rowOf('old')};
  DELETE FROM "${rows}" WHERE id = old.id;
END;`,
  ];
}

/** The whole text-search migration for a provider. */
export function textSearchMigration(provider: DatabaseProvider): string {
  const header =
    provider === 'postgresql'
      ? [
          '-- Full-text search for `q` (src/db/text-search.ts): accent- and case-insensitive word prefixes.',
          'CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;',
          '-- unaccent() is only STABLE (its dictionary could change), and an index needs an IMMUTABLE wrapper,',
          '-- schema-qualified so that it works whatever the search_path of the session using it.',
          `CREATE OR REPLACE FUNCTION ledger_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;`,
        ]
      : ['-- Full-text search for `q` (src/db/text-search.ts): accent- and case-insensitive word prefixes.'];
  const body = Object.values(SEARCH_TARGETS).flatMap((target) => searchIndexSql(provider, target));
  return `${[...header, ...body].join('\n')}\n`;
}
