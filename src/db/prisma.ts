import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
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

export interface Database {
  provider: DatabaseProvider;
  prisma: Db;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

async function ping(prisma: Db): Promise<void> {
  await prisma.$queryRawUnsafe('SELECT 1');
}

export async function connectDatabase(url: string): Promise<Database> {
  const provider = providerOf(url);
  if (provider === 'sqlite') {
    const file = sqliteFilePath(url);
    mkdirSync(path.dirname(file), { recursive: true });
    // better-sqlite3's timeout is SQLite's busy timeout: wait for a lock, do not fail.
    const prisma = new SqlitePrismaClient({ adapter: new PrismaBetterSQLite3({ url: file, timeout: 10_000 }) });
    // WAL lets readers run beside a writer; foreign keys are off by default in SQLite.
    await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
    return { provider, prisma, ping: () => ping(prisma), close: () => prisma.$disconnect() };
  }
  const prisma = new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  await prisma.$connect();
  const db = prisma as unknown as Db;
  return { provider, prisma: db, ping: () => ping(db), close: () => prisma.$disconnect() };
}
