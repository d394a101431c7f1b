import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
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

export interface Database {
  provider: DatabaseProvider;
  prisma: Db;
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
    return { provider, prisma, ping: () => ping(prisma), onQuery, poolStats: () => null, close: () => base.$disconnect() };
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
  return {
    provider,
    prisma,
    ping: () => ping(prisma, options.connectTimeoutMs ?? 10_000),
    onQuery,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => base.$disconnect(),
  };
}
