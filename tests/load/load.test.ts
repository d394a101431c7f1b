import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { connectDatabase, type Database } from '../../src/db/prisma.js';
import { createServices } from '../../src/services.js';
import { cloneDatabase, type ScratchDatabase } from '../helpers/databases.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { checkWrites, percentile, runLoad } from './load-run.js';

// The short form of `npm run load`: two API processes on one database, concurrent
// clients mixing reads, creates, idempotent replays and conditional edits. Zero 5xx, zero
// failed connections, and every acknowledged write stored exactly once.

const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 24);
const DURATION_MS = Number(process.env.LOAD_DURATION_MS ?? 6_000);

let scratch: ScratchDatabase;
let database: Database;
let servers: RunningServer[] = [];
let writeKey: string;

beforeAll(async () => {
  scratch = await cloneDatabase(inject('templateDatabaseUrl'));
  database = await connectDatabase(scratch.url);
  writeKey = (await createServices(database).apiKeys.create({ name: 'load', scopes: ['read', 'write'] })).key;
  const env = { MIGRATE_ON_START: 'false', SEED_ON_START: 'false', RATE_LIMIT_MAX: '0' };
  servers = await Promise.all([startServer(scratch.url, env), startServer(scratch.url, env)]);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await database.close();
  await scratch.drop();
});

describe('two API instances under concurrent reads and writes', () => {
  it('answer every request and keep every acknowledged write exactly once', async () => {
    const result = await runLoad({ instances: servers.map((s) => s.base), writeKey, clients: CLIENTS, durationMs: DURATION_MS });
    const rows = await database.prisma.event.findMany({
      where: { title: { startsWith: `load ${result.run} ` }, deletedAt: null },
      select: { id: true, title: true, version: true },
    });
    console.log(
      `load: ${result.requests} requests in ${(result.durationMs / 1000).toFixed(1)} s (${result.reads} reads, ${result.writes} creates, ` +
        `${result.replays} replays, ${result.patches} edits), p99 ${percentile(result.latencies, 99).toFixed(0)} ms, ${JSON.stringify(result.statuses)}`,
    );
    expect(result.unexpected).toEqual([]);
    expect(result.serverErrors).toBe(0);
    expect(result.networkErrors).toBe(0);
    expect(result.writes).toBeGreaterThan(10);
    expect(result.patches).toBeGreaterThan(0);
    expect(result.replays).toBeGreaterThan(0);
    expect(checkWrites(result, rows)).toEqual([]);
    expect(rows.length).toBe(result.acknowledged.size);
  }, 120_000);
});
