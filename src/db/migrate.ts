import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectDatabase, type Database } from './prisma.js';
import type { DatabaseProvider } from './database-url.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function migrationsDir(provider: DatabaseProvider): string {
  return path.join(projectRoot, 'prisma', provider, 'migrations');
}

function committedMigrations(provider: DatabaseProvider): string[] {
  return readdirSync(migrationsDir(provider), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

async function appliedMigrations(db: Database): Promise<Set<string>> {
  try {
    const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    return new Set(rows.map((row) => row.migration_name));
  } catch {
    // No migrations table yet: a fresh database.
    return new Set();
  }
}

export async function pendingMigrations(db: Database): Promise<string[]> {
  const applied = await appliedMigrations(db);
  return committedMigrations(db.provider).filter((name) => !applied.has(name));
}

const DONE = /All migrations have been successfully applied|No pending migrations to apply/;

/**
 * Runs `prisma migrate deploy` for the database's provider. Prisma Migrate keeps its own
 * history table and, on PostgreSQL, takes an advisory lock, so several instances starting
 * at once apply each migration exactly once.
 */
export function runMigrateDeploy(provider: DatabaseProvider, databaseUrl: string): Promise<string> {
  const prismaCli = path.join(projectRoot, 'node_modules', 'prisma', 'build', 'index.js');
  const config = path.join(projectRoot, 'prisma', `${provider}.config.ts`);
  // Set so the CLI does not look for native engines: with `engine: "js"` none is run.
  const notRun = path.join(projectRoot, 'package.json');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCli, 'migrate', 'deploy', '--config', config], {
      cwd: projectRoot,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PRISMA_QUERY_ENGINE_LIBRARY: notRun,
        PRISMA_SCHEMA_ENGINE_BINARY: notRun,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let succeeded = false;
    child.stdout.on('data', (chunk) => {
      output += chunk;
      // Once Migrate reports success its work is committed, but the CLI then idles on a
      // leftover 10 s timer of its schema engine (seen with the JS engine on PostgreSQL);
      // stop it rather than make every start wait.
      if (!succeeded && DONE.test(output)) {
        succeeded = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 || succeeded ? resolve(output) : reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${output}`)),
    );
  });
}

/**
 * Applies the committed migrations the database lacks; a no-op when it is up to date.
 * Call it before the app opens its own connection: on SQLite, Migrate needs the file to
 * itself while it writes.
 */
export async function migrateDatabase(databaseUrl: string): Promise<string[]> {
  const db = await connectDatabase(databaseUrl);
  let pending: string[];
  try {
    pending = await pendingMigrations(db);
  } finally {
    await db.close();
  }
  if (pending.length > 0) await runMigrateDeploy(db.provider, databaseUrl);
  return pending;
}
