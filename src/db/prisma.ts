import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { PrismaClient as SqlitePrismaClient } from '../generated/sqlite/client.js';
import { PrismaClient as PostgresPrismaClient } from '../generated/postgresql/client.js';
import { providerOf, sqliteFilePath, type DatabaseProvider } from './database-url.js';
import { WRITE_LOCK, writeTransaction } from './transaction.js';

/**
 * The Prisma client the repositories use. Both generated clients come from the same
 * models (prisma/models.prisma), so their APIs are identical; the SQLite one's types stand
 * for both.
 */
export type Db = SqlitePrismaClient;
export type { Prisma } from '../generated/sqlite/client.js';

/** One query as the repositories ran it: for metrics (src/http/metrics.ts). */
export interface QueryTiming {
  /** The model (e.g. `Event`), or `raw` for SQL the code wrote itself. */
  model: string;
  operation: string;
  seconds: number;
  ok: boolean;
}

export interface PoolStats {
  /** Connections open, idle among them, and queries waiting for one. */
  total: number;
  idle: number;
  waiting: number;
}

/** Runs a read-only statement (placeholders `?` on SQLite, `$n` on PostgreSQL) and returns its rows. */
export type Reader = (text: string, values: readonly unknown[]) => Promise<Record<string, unknown>[]>;

export interface Database {
  provider: DatabaseProvider;
  prisma: Db;
  /**
   * Reads straight through the driver, outside any transaction: Prisma's raw queries cost
   * more per query than the database's work on the hot read paths (a list page, an event).
   * Rows come as the driver gives them: on SQLite timestamps as ISO text and integers as
   * numbers; on PostgreSQL timestamps as UTC Dates, and int8 and numeric as strings.
   */
  read: Reader;
  /**
   * Runs `work` in a write transaction (serialized with every other write, as
   * writeTransaction does) whose statements go straight to the driver: the bulk path of
   * imports, where Prisma's per-query work costs more than the database's.
   */
  writeOnDriver<T>(work: (tx: DriverTransaction) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /** Calls `listener` after every query; returns the function that stops it. */
  onQuery(listener: (timing: QueryTiming) => void): () => void;
  /** PostgreSQL's connection pool right now; null on SQLite (one connection in process). */
  poolStats(): PoolStats | null;
  close(): Promise<void>;
}

/**
 * Statements on a write transaction's own connection. `db` is for reads through `query`
 * (src/db/sql.ts) only: it has no Prisma delegates. Values bind as the reads see them:
 * Dates as the provider stores timestamps, booleans as the provider's booleans.
 */
export interface DriverTransaction {
  provider: DatabaseProvider;
  db: Db;
  /** A SELECT's rows, as Database.read gives them. */
  all(text: string, values: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** An INSERT, UPDATE or DELETE; the number of rows it changed. */
  run(text: string, values: readonly unknown[]): Promise<number>;
}

export interface ConnectOptions {
  /** PostgreSQL: give up opening a connection after this long (ms). Default 10 s. */
  connectTimeoutMs?: number;
  /** PostgreSQL: the server cancels a statement running longer (ms). Default none. */
  statementTimeoutMs?: number;
  /** SQLite: how long a write waits for another writer's lock before failing (ms). Default 10 s. */
  busyTimeoutMs?: number;
}

async function ping(prisma: Db, withinMs?: number): Promise<void> {
  const query = prisma.$queryRawUnsafe('SELECT 1');
  if (!withinMs) return void (await query);
  // A readiness probe must answer even when the database swallows packets.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The database did not answer within ${withinMs} ms`)), withinMs);
  });
  query.catch(() => undefined);
  try {
    await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Times every query the client runs (model calls and raw SQL, inside transactions too). */
function timed<C extends { $extends: SqlitePrismaClient['$extends'] }>(client: C, listeners: Set<(timing: QueryTiming) => void>): Db {
  return client.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        if (listeners.size === 0) return query(args);
        const started = performance.now();
        let ok = false;
        try {
          const result = await query(args);
          ok = true;
          return result;
        } finally {
          const timing = { model: model ?? 'raw', operation, seconds: (performance.now() - started) / 1000, ok };
          for (const listener of listeners) listener(timing);
        }
      },
    },
  }) as unknown as Db;
}

// The top-level client of each database, to its reader: `query` (src/db/sql.ts) reads
// through the driver when handed that client, and through Prisma when handed a
// transaction's client (a transaction must read on its own connection).
const readers = new WeakMap<object, Reader>();

/** The driver reader behind a top-level client; undefined for a transaction's client. */
export function readerOf(client: Db): Reader | undefined {
  return readers.get(client);
}

/**
 * A client for `query` alone: reads go to `read`, and anything else (a Prisma delegate,
 * $transaction) fails loudly instead of running on another connection.
 */
function readOnlyClient(read: Reader): Db {
  const client = new Proxy(
    {},
    {
      get(_, property) {
        throw new Error(`a driver transaction reads through query() only; it has no Prisma ${String(property)}`);
      },
    },
  ) as Db;
  readers.set(client, read);
  return client;
}

/** `call`, reporting each statement's time to the listeners (as `raw`, under `operation`). */
function timedCall<R>(
  operation: string,
  call: (text: string, values: readonly unknown[]) => Promise<R>,
  listeners: Set<(timing: QueryTiming) => void>,
): (text: string, values: readonly unknown[]) => Promise<R> {
  return async (text, values) => {
    if (listeners.size === 0) return call(text, values);
    const started = performance.now();
    let ok = false;
    try {
      const result = await call(text, values);
      ok = true;
      return result;
    } finally {
      const timing = { model: 'raw', operation, seconds: (performance.now() - started) / 1000, ok };
      for (const listener of listeners) listener(timing);
    }
  };
}

function timedReader(read: Reader, listeners: Set<(timing: QueryTiming) => void>): Reader {
  return timedCall('driverRead', read, listeners);
}

/**
 * Prepared statements one connection keeps, on either database: texts vary with IN-list
 * lengths, so the number is bounded (SQLite drops the least recently used; PostgreSQL names
 * only the first texts, see postgresReader).
 */
const PREPARED_PER_CONNECTION = 500;

/** What better-sqlite3 binds: it refuses booleans, Dates and undefined. */
function sqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  // As Prisma's SQLite adapter stores DateTime: ISO 8601 text with a `+00:00` offset.
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  return value;
}

/** Prepared statements of one connection, the most recently used kept (texts vary with list lengths). */
function statementCache(connection: BetterSqlite3.Database) {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return (text: string): BetterSqlite3.Statement => {
    let statement = statements.get(text);
    if (statement) {
      // Most recently used last: the first entry is the one to drop when full.
      statements.delete(text);
    } else {
      statement = connection.prepare(text);
      if (statements.size >= PREPARED_PER_CONNECTION) statements.delete(statements.keys().next().value!);
    }
    statements.set(text, statement);
    return statement;
  };
}

/** A second, read-only connection to the SQLite file (WAL lets it read beside the writer). */
function sqliteReader(file: string, busyTimeoutMs: number): { read: Reader; close(): void } {
  const connection = new BetterSqlite3(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
  const prepared = statementCache(connection);
  const read: Reader = async (text, values) => prepared(text).all(...values.map(sqliteValue)) as Record<string, unknown>[];
  return { read, close: () => connection.close() };
}

/**
 * The SQLite adapter with a handle on the connection it opens: the driver write path runs
 * its statements on that connection, inside Prisma's transaction. The adapter keeps the
 * connection in its `client` field (not in its types); a version that stops doing so fails
 * here, at the first write, not silently on another connection.
 */
function capturingConnection(factory: PrismaBetterSQLite3) {
  let connection: BetterSqlite3.Database | undefined;
  let prepared: ((text: string) => BetterSqlite3.Statement) | undefined;
  return {
    provider: factory.provider as 'sqlite',
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      const client = (adapter as unknown as { client?: unknown }).client;
      if (!(client instanceof BetterSqlite3)) throw new Error('@prisma/adapter-better-sqlite3 no longer keeps its connection in `client`; the import write path needs it');
      connection = client;
      prepared = undefined;
      return adapter;
    },
    connectToShadowDb: () => factory.connectToShadowDb(),
    /** Prepared statements on the adapter's connection (numbers, not the BigInts it is set to). */
    statements(): (text: string) => BetterSqlite3.Statement {
      if (!connection) throw new Error('the SQLite adapter has not connected yet');
      if (!prepared) {
        const cached = statementCache(connection);
        prepared = (text) => cached(text).safeIntegers(false);
      }
      return prepared;
    },
  };
}

/** A transaction on one pooled connection, behind the write lock every write transaction takes. */
async function postgresWrite<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(${WRITE_LOCK})`);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
    throw error;
  } finally {
    // A connection that cannot even roll back is not given to the next query.
    client.release(broken);
  }
}

/**
 * What the pg driver binds for a value. Dates as UTC wall time: the columns are
 * `timestamp without time zone` holding UTC, and pg would send a Date in local time.
 */
function postgresValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().slice(0, -1);
  return value ?? null;
}

function driverTransaction(
  provider: DatabaseProvider,
  all: Reader,
  run: (text: string, values: readonly unknown[]) => Promise<number>,
  listeners: Set<(timing: QueryTiming) => void>,
): DriverTransaction {
  const read = timedReader(all, listeners);
  return { provider, db: readOnlyClient(read), all: read, run: timedCall('driverWrite', run, listeners) };
}

const TIMESTAMP_OID = 1114;
/**
 * pg parses `timestamp without time zone` as local time; the columns hold UTC. The override
 * is per query: pg's global parsers are shared with Prisma's adapter and stay untouched.
 */
const utcTimestamps = {
  getTypeParser(oid: number, format?: string) {
    if (oid === TIMESTAMP_OID && format !== 'binary') return (value: string) => new Date(`${value.replace(' ', 'T')}Z`);
    return (pg.types.getTypeParser as (oid: number, format?: string) => unknown)(oid, format ?? 'text');
  },
};

/**
 * Reads with their statements prepared by name: PostgreSQL then parses and plans a text once
 * per connection instead of on every query (a small query's parse and plan cost as much as
 * its execution). The first PREPARED_PER_CONNECTION distinct texts are named and any after
 * them run unnamed, so a connection never holds more. The texts name their columns (no `*`),
 * so a migration that adds columns does not break them.
 */
function postgresReader(pool: pg.Pool): Reader {
  const names = new Map<string, string>();
  const nameOf = (text: string): string | undefined => {
    let name = names.get(text);
    if (name === undefined && names.size < PREPARED_PER_CONNECTION) {
      name = `ledger_read_${names.size}`;
      names.set(text, name);
    }
    return name;
  };
  return async (text, values) => (await pool.query({ name: nameOf(text), text, values: values as unknown[], types: utcTimestamps } as pg.QueryConfig)).rows;
}

export async function connectDatabase(url: string, options: ConnectOptions = {}): Promise<Database> {
  const provider = providerOf(url);
  const listeners = new Set<(timing: QueryTiming) => void>();
  const onQuery = (listener: (timing: QueryTiming) => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  if (provider === 'sqlite') {
    const file = sqliteFilePath(url);
    mkdirSync(path.dirname(file), { recursive: true });
    // better-sqlite3's timeout is SQLite's busy timeout: wait for a lock, do not fail.
    const adapter = capturingConnection(new PrismaBetterSQLite3({ url: file, timeout: options.busyTimeoutMs ?? 10_000 }));
    const base = new SqlitePrismaClient({ adapter });
    // WAL lets readers run beside a writer; foreign keys are off by default in SQLite.
    await base.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await base.$executeRawUnsafe('PRAGMA foreign_keys = ON');
    const prisma = timed(base, listeners);
    const reader = sqliteReader(file, options.busyTimeoutMs ?? 10_000);
    const read = timedReader(reader.read, listeners);
    readers.set(prisma, read);
    const database: Database = {
      provider,
      prisma,
      read,
      writeOnDriver: (work) => {
        // Prisma's write transaction (its connection's lock, its place in the queue of this
        // process's transactions), with the statements run on that same connection directly.
        const prepared = adapter.statements();
        const all: Reader = async (text, values) => prepared(text).all(...values.map(sqliteValue)) as Record<string, unknown>[];
        const run = async (text: string, values: readonly unknown[]) => prepared(text).run(...values.map(sqliteValue)).changes;
        return writeTransaction(database)(() => work(driverTransaction(provider, all, run, listeners)));
      },
      ping: () => ping(prisma),
      onQuery,
      poolStats: () => null,
      close: async () => {
        reader.close();
        await base.$disconnect();
      },
    };
    return database;
  }
  // Our own pool, so its size can be watched; the adapter ends it on disconnect. Bounded
  // waits: a database that is down or unreachable fails a query within the connect
  // timeout instead of holding the request open.
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs, query_timeout: options.statementTimeoutMs + 5_000 } : {}),
    keepAlive: true,
  });
  const base = new PostgresPrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  await base.$connect();
  const prisma = timed(base as unknown as SqlitePrismaClient, listeners);
  // Reads share the adapter's pool: one set of connections, one statement timeout.
  const read = timedReader(postgresReader(pool), listeners);
  readers.set(prisma, read);
  return {
    provider,
    prisma,
    read,
    writeOnDriver: (work) => postgresWrite(pool, (client) => {
      const all: Reader = async (text, values) => (await client.query({ text, values: values.map(postgresValue), types: utcTimestamps } as pg.QueryConfig)).rows;
      const run = async (text: string, values: readonly unknown[]) => (await client.query(text, values.map(postgresValue))).rowCount ?? 0;
      return work(driverTransaction(provider, all, run, listeners));
    }),
    ping: () => ping(prisma, options.connectTimeoutMs ?? 10_000),
    onQuery,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => base.$disconnect(),
  };
}
