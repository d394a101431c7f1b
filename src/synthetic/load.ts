import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { providerOf, sqliteFilePath } from '../db/database-url.js';
import { migrateDatabase } from '../db/migrate.js';
import { SEARCH_TARGETS } from '../db/text-search-schema.js';
import { generateLedger, SYNTHETIC_COLUMNS, type Cell, type SyntheticCounts, type SyntheticTable } from './generator.js';

// Loads the synthetic ledger through the raw drivers, not the API: a million events in
// about a minute. Secondary indexes and the full-text triggers are dropped during the
// load and rebuilt in bulk afterwards (much faster than maintaining them row by row);
// foreign keys are not checked while loading (the generator only emits rows whose
// references it wrote). Rows get version 1 and their creation day as created_at and
// updated_at, stored as Prisma's adapters store them. The revisions table (history and
// changes feed) is left empty: synthetic records are a baseline, not edits.

/** The ledger's tables, in an order where a record's references come before it. */
const LEDGER_TABLES: SyntheticTable[] = [
  'sources', 'actors', 'actor_aliases', 'events', 'event_participants', 'statements', 'statement_targets', 'statement_events',
  'casualty_reports', 'provenance',
];
const BOOKKEEPING = ['created_at', 'updated_at', 'version', 'deleted_at'];

export interface LoadOptions {
  events: number;
  seed: number;
  /** Delete every ledger record first instead of refusing a database that holds some. */
  force?: boolean;
  log?: (message: string) => void;
}

export interface LoadResult {
  counts: SyntheticCounts;
  seconds: number;
}

export class NonEmptyDatabaseError extends Error {}

function refuse(records: number): never {
  throw new NonEmptyDatabaseError(
    `The database already holds ${records} events, actors or sources; seed:synthetic loads only an empty ledger (pass --force to delete every ledger record first).`,
  );
}

export async function loadSynthetic(url: string, options: LoadOptions): Promise<LoadResult> {
  const started = Date.now();
  await migrateDatabase(url);
  options.log?.('migrated');
  const counts = providerOf(url) === 'sqlite' ? loadSqlite(sqliteFilePath(url), options) : await loadPostgres(url, options);
  return { counts, seconds: (Date.now() - started) / 1000 };
}

function loadSqlite(file: string, { events, seed, force = false, log = () => {} }: LoadOptions): SyntheticCounts {
  const db = new BetterSqlite3(file);
  try {
    const existing = db.prepare('SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM actors) + (SELECT count(*) FROM sources) AS n').get() as { n: number };
    if (existing.n > 0 && !force) refuse(existing.n);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    db.pragma('temp_store = MEMORY');
    db.pragma('foreign_keys = OFF');

    const tables = [...LEDGER_TABLES];
    const indexes = db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables.map(() => '?').join(', ')})`)
      .all(...tables) as { name: string; sql: string }[];
    const triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`).all() as { name: string; sql: string }[];
    db.transaction(() => {
      for (const trigger of triggers) db.exec(`DROP TRIGGER "${trigger.name}"`);
      for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
      if (existing.n > 0) {
        for (const table of [...tables].reverse()) db.exec(`DELETE FROM "${table}"`);
        db.exec('DELETE FROM revisions');
      }
    })();

    const inserts = new Map(
      tables.map((table) => {
        const columns = [...SYNTHETIC_COLUMNS[table], ...BOOKKEEPING];
        return [table, db.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)];
      }),
    );
    let pendingRows = 0;
    db.exec('BEGIN');
    const generation = generateLedger({ events, seed }, (table, row, stamp) => {
      const at = `${stamp}T00:00:00.000+00:00`;
      inserts.get(table)!.run(...row, at, at, 1, null);
      pendingRows += 1;
    });
    let step = generation.next();
    let loaded = 0;
    while (!step.done) {
      if (pendingRows >= 200_000) {
        db.exec('COMMIT');
        db.exec('BEGIN');
        loaded += pendingRows;
        pendingRows = 0;
        log(`${loaded} rows`);
      }
      step = generation.next();
    }
    db.exec('COMMIT');
    log('rows written; building indexes');

    db.transaction(() => {
      for (const index of indexes) db.exec(index.sql);
      log('b-tree indexes built');
      // Fill each full-text index in one pass, as its triggers would have row by row.
      for (const { table, columns } of Object.values(SEARCH_TARGETS)) {
        const list = columns.join(', ');
        db.exec(`DELETE FROM "${table}_search"`);
        db.exec(`DELETE FROM "${table}_search_rows"`);
        db.exec(`INSERT INTO "${table}_search_rows" ("id") SELECT "id" FROM "${table}" ORDER BY "id"`);
        db.exec(`INSERT INTO "${table}_search" (rowid, ${list}) SELECT r.rowid, ${columns.map((c) => `t.${c}`).join(', ')} FROM "${table}" t JOIN "${table}_search_rows" r ON r.id = t.id`);
      }
      for (const trigger of triggers) db.exec(trigger.sql);
    })();
    log('indexes built; analyzing');
    db.pragma('analysis_limit = 1000');
    db.exec('ANALYZE');
    db.pragma('wal_checkpoint(TRUNCATE)');
    return step.value;
  } finally {
    db.close();
  }
}

// PostgreSQL column types, for the casts from the text arrays the rows travel in.
const PG_INTEGER = new Set(['start_offset', 'end_offset', 'killed_min', 'killed_max', 'injured_min', 'injured_max', 'version']);
const PG_FLOAT = new Set(['latitude', 'longitude']);
const PG_TIMESTAMP = new Set(['created_at', 'updated_at', 'deleted_at']);

function pgCast(column: string): string {
  if (PG_INTEGER.has(column)) return '::integer';
  if (PG_FLOAT.has(column)) return '::double precision';
  if (PG_TIMESTAMP.has(column)) return '::timestamp(3)';
  return '';
}

async function loadPostgres(url: string, { events, seed, force = false, log = () => {} }: LoadOptions): Promise<SyntheticCounts> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const existing = await client.query<{ n: string }>('SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM actors) + (SELECT count(*) FROM sources) AS n');
    const present = Number(existing.rows[0].n);
    if (present > 0 && !force) refuse(present);
    const tables = [...LEDGER_TABLES];
    // Foreign-key checks are triggers; replica mode skips them while loading trusted rows.
    await client.query(`SET session_replication_role = replica`);
    await client.query(`SET maintenance_work_mem = '512MB'`);
    if (present > 0) await client.query(`TRUNCATE ${[...tables, 'revisions'].map((t) => `"${t}"`).join(', ')}`);
    const indexes = (
      await client.query<{ indexname: string; indexdef: string }>(
        `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ANY($1)
           AND indexname NOT IN (SELECT conname FROM pg_constraint)`,
        [tables],
      )
    ).rows;
    for (const index of indexes) await client.query(`DROP INDEX "${index.indexname}"`);

    const statements = new Map(
      tables.map((table) => {
        const columns = [...SYNTHETIC_COLUMNS[table], ...BOOKKEEPING];
        const names = columns.map((c) => `"${c}"`).join(', ');
        const arrays = columns.map((_, i) => `$${i + 1}::text[]`).join(', ');
        const select = columns.map((c, i) => `u${i}${pgCast(c)}`).join(', ');
        const aliases = columns.map((_, i) => `u${i}`).join(', ');
        return [table, { width: columns.length, text: `INSERT INTO "${table}" (${names}) SELECT ${select} FROM unnest(${arrays}) AS u(${aliases})` }];
      }),
    );
    const buffers = new Map<SyntheticTable, Cell[][]>(tables.map((t) => [t, []]));
    const flush = async (batches: [SyntheticTable, Cell[][]][]) => {
      await client.query('BEGIN');
      for (const [table, rows] of batches) {
        const statement = statements.get(table)!;
        const columns: Cell[][] = Array.from({ length: statement.width }, () => []);
        for (const row of rows) for (let c = 0; c < statement.width; c += 1) columns[c].push(row[c] === null ? null : String(row[c]));
        await client.query(statement.text, columns);
      }
      await client.query('COMMIT');
    };
    let buffered = 0;
    let inFlight: Promise<void> = Promise.resolve();
    let loaded = 0;
    const generation = generateLedger({ events, seed }, (table, row, stamp) => {
      const at = `${stamp} 00:00:00`;
      buffers.get(table)!.push([...row, at, at, 1, null]);
      buffered += 1;
    });
    let step = generation.next();
    while (!step.done) {
      if (buffered >= 50_000) {
        const batches = [...buffers.entries()].filter(([, rows]) => rows.length > 0);
        for (const table of tables) buffers.set(table, []);
        loaded += buffered;
        buffered = 0;
        await inFlight; // one batch in the database while the next is generated
        inFlight = flush(batches);
        if (loaded % 1_000_000 < 50_000) log(`${loaded} rows`);
      }
      step = generation.next();
    }
    await inFlight;
    await flush([...buffers.entries()].filter(([, rows]) => rows.length > 0));
    log('rows written; building indexes');
    for (const index of indexes) await client.query(index.indexdef);
    await client.query('SET session_replication_role = DEFAULT');
    log('indexes built; analyzing');
    await client.query(`ANALYZE ${tables.map((t) => `"${t}"`).join(', ')}`);
    return step.value;
  } finally {
    await client.end();
  }
}
