import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseProvider } from '../../src/db/database-url.js';

// Test databases are real: a SQLite file or a PostgreSQL database of its own per test
// file, so no file depends on another's state or on the order they run in. When the
// database cannot be reached the test fails; it never skips.

export const provider: DatabaseProvider = process.env.TEST_DATABASE === 'postgresql' ? 'postgresql' : 'sqlite';

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

function postgresUrl(database: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** An empty database of the provider under test (or of the one named). */
export async function emptyDatabase(kind: DatabaseProvider = provider): Promise<ScratchDatabase> {
  const name = `ledger_test_${randomBytes(6).toString('hex')}`;
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ledger-test-'));
    return { url: `file:${path.join(dir, `${name}.db`)}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return {
    url: postgresUrl(name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** A copy of a prepared template database (migrated and seeded once per run). */
export async function cloneDatabase(templateUrl: string): Promise<ScratchDatabase> {
  const name = `ledger_test_${randomBytes(6).toString('hex')}`;
  if (provider === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ledger-test-'));
    const file = path.join(dir, `${name}.db`);
    copyFileSync(templateUrl.slice('file:'.length), file);
    return { url: `file:${file}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const template = new URL(templateUrl).pathname.slice(1);
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return {
    url: postgresUrl(name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
