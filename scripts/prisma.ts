// Runs the Prisma CLI offline for both databases.
//   tsx scripts/prisma.ts generate      generate both clients from the committed schemas
//   tsx scripts/prisma.ts diff NAME     write a new migration for each database, holding
//                                       what the schema has and the migrations lack
// The CLI's engine probe is pointed at a file that exists: with `engine: "js"` in
// prisma/*.config.ts no native engine is downloaded or run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { providers, type Provider } from './build-prisma-schemas.js';
import { SEARCH_TARGETS } from '../src/db/text-search-schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');

export function prisma(args: string[], databaseUrl?: string): string {
  const notRun = path.join(root, 'package.json');
  return execFileSync(process.execPath, [cli, ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      PRISMA_QUERY_ENGINE_LIBRARY: notRun,
      PRISMA_SCHEMA_ENGINE_BINARY: notRun,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    },
  });
}

const config = (provider: Provider) => path.join('prisma', `${provider}.config.ts`);
const schema = (provider: Provider) => path.join('prisma', provider, 'schema.prisma');

// The text-search indexes are raw SQL beside the model (src/db/text-search.ts): SQLite's
// FTS5 tables and their shadow tables are not Prisma models, so the diff would drop them.
const SEARCH_INDEX_TABLE = new RegExp(
  `^DROP TABLE "(${Object.values(SEARCH_TARGETS).map((t) => t.table).join('|')})_search(_[a-z]+)?";$`,
);

/**
 * The SQL that would bring a database migrated with the committed migrations to the
 * schema: empty when they agree. `databaseUrl` must name an empty scratch database.
 */
export function schemaDrift(provider: Provider, databaseUrl: string, { migrate = true } = {}): string {
  if (migrate) prisma(['migrate', 'deploy', '--config', config(provider)], databaseUrl);
  const pulled = prisma(['db', 'pull', '--print', '--config', config(provider)], databaseUrl);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ledger-drift-'));
  try {
    const pulledSchema = path.join(dir, 'schema.prisma');
    // The CLI prints a warning before the schema; keep the schema.
    writeFileSync(pulledSchema, pulled.slice(pulled.indexOf('generator ')));
    const script = prisma(
      ['migrate', 'diff', '--config', config(provider), '--from-schema-datamodel', pulledSchema, '--to-schema-datamodel', schema(provider), '--script'],
      databaseUrl,
    );
    return script
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('--') && !/^PRAGMA (foreign_keys|defer_foreign_keys)/.test(line))
      .filter((line) => !SEARCH_INDEX_TABLE.test(line))
      .join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const [command, name] = process.argv.slice(2);
  if (command === 'generate') {
    for (const provider of providers) process.stdout.write(prisma(['generate', '--schema', schema(provider)]));
    return;
  }
  if (command === 'diff' && name && /^[a-z0-9_]+$/.test(name)) {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'ledger-diff-'));
    // A scratch PostgreSQL database, created and dropped here (server from POSTGRES_ADMIN_URL).
    const admin = process.env.POSTGRES_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
    const scratchName = `ledger_scratch_${process.pid}`;
    const psql = (sql: string) => execFileSync('psql', [admin, '-qc', sql], { stdio: 'inherit' });
    psql(`CREATE DATABASE ${scratchName}`);
    const pgUrl = new URL(admin);
    pgUrl.pathname = `/${scratchName}`;
    const urls: Record<Provider, string> = { sqlite: `file:${path.join(scratch, 'scratch.db')}`, postgresql: pgUrl.toString() };
    for (const provider of providers) {
      const sql = schemaDrift(provider, urls[provider]);
      if (sql === '') {
        console.log(`${provider}: migrations already match the schema`);
        continue;
      }
      const dir = path.join(root, 'prisma', provider, 'migrations', `${stamp}_${name}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'migration.sql'), `${sql}\n`);
      console.log(`${provider}: wrote ${path.relative(root, dir)}/migration.sql (review it before committing)`);
    }
    rmSync(scratch, { recursive: true, force: true });
    psql(`DROP DATABASE IF EXISTS ${scratchName} WITH (FORCE)`);
    return;
  }
  console.error('usage: tsx scripts/prisma.ts generate | diff <migration_name>');
  process.exit(1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
