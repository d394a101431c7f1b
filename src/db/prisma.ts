import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { PrismaClient as SqlitePrismaClient } from '../generated/sqlite/client.js';
import { PrismaClient as PostgresPrismaClient } from '../generated/postgresql/client.js';
import { providerOf, sqliteFilePath, type DatabaseProvider } from './database-url.js';

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
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /** Calls `listener` after every query; returns the function that stops it. */
  onQuery(listener: (timing: QueryTiming) => void): () => void;
  /** PostgreSQL's connection pool right now; null on SQLite (one connection in process). */
  poolStats(): PoolStats | null;
  close(): Promise<void>;
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

function timedReader(read: Reader, listeners: Set<(timing: QueryTiming) => void>): Reader {
  return async (text, values) => {
    if (listeners.size === 0) return read(text, values);
    const started = performance.now();
    let ok = false;
    try {
      const rows = await read(text, values);
      ok = true;
      return rows;
    } finally {
      const timing = { model: 'raw', operation: 'driverRead', seconds: (performance.now() - started) / 1000, ok };
      for (const listener of listeners) listener(timing);
    }
  };
}

/** Prepared statements kept per SQL text; texts vary with IN-list lengths, so the cache is bounded. */
const STATEMENT_CACHE = 500;

/** What better-sqlite3 binds: it refuses booleans, Dates and undefined. */
function sqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  // As Prisma's SQLite adapter stores DateTime: ISO 8601 text with a `+00:00` offset.
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  return value;
}

/** A second, read-only connection to the SQLite file (WAL lets it read beside the writer). */
function sqliteReader(file: string, busyTimeoutMs: number): { read: Reader; close(): void } {
  const connection = new BetterSqlite3(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
  const statements = new Map<string, BetterSqlite3.Statement>();
  const read: Reader = async (text, values) => {
    let statement = statements.get(text);
    if (statement) {
      // Most recently used last: the first entry is the one to drop when full.
      statements.delete(text);
    } else {
      statement = connection.prepare(text);
      if (statements.size >= STATEMENT_CACHE) statements.delete(statements.keys().next().value!);
    }
    statements.set(text, statement);
    return statement.all(...values.map(sqliteValue)) as Record<string, unknown>[];
  };
  return { read, close: () => connection.close() };
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

function postgresReader(pool: pg.Pool): Reader {
  return async (text, values) => (await pool.query({ text, values: values as unknown[], types: utcTimestamps } as pg.QueryConfig)).rows;
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
    const base = new SqlitePrismaClient({ adapter: new PrismaBetterSQLite3({ url: file, timeout: options.busyTimeoutMs ?? 10_000 }) });
    // WAL lets readers run beside a writer; foreign keys are off by default in SQLite.
    await base.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await base.$executeRawUnsafe('PRAGMA foreign_keys = ON');
    const prisma = timed(base, listeners);
    const reader = sqliteReader(file, options.busyTimeoutMs ?? 10_000);
    const read = timedReader(reader.read, listeners);
    readers.set(prisma, read);
    return {
      provider,
      prisma,
      read,
      ping: () => ping(prisma),
      onQuery,
      poolStats: () => null,
      close: async () => {
        reader.close();
        await base.$disconnect();
      },
    };
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
    ping: () => ping(prisma, options.connectTimeoutMs ?? 10_000),
    onQuery,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => base.$disconnect(),
  };
}
