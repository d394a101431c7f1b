// Prisma CLI configuration for SQLite (`npm run db:migrate` picks it from DATABASE_URL).
// Migrate runs through the better-sqlite3 driver adapter and Prisma's JS schema engine, so
// no native engine is downloaded.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { sqliteFilePath, databaseUrlFromEnv } from '../src/db/database-url.js';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('sqlite', 'schema.prisma'),
  migrations: { path: path.join('sqlite', 'migrations') },
  async adapter() {
    const file = sqliteFilePath(databaseUrlFromEnv());
    mkdirSync(path.dirname(file), { recursive: true });
    // Wait for a running server's connection instead of failing with SQLITE_BUSY.
    return new PrismaBetterSQLite3({ url: file, timeout: 10_000 });
  },
});
