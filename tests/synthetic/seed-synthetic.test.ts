import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { connectDatabase, type Database } from '../../src/db/prisma.js';
import { loadSynthetic } from '../../src/synthetic/load.js';
import { cloneDatabase, type ScratchDatabase } from '../helpers/databases.js';
import { getJson } from '../helpers/app.js';

// The real `npm run seed:synthetic` on copies of the migrated, seeded template (so no test
// waits for Migrate): the same seed gives the same rows, the API reads them, every record
// cites a passage of its source, and a database that already holds records (here the seed
// article) is refused unless --force, which replaces them.

const root = path.resolve(import.meta.dirname, '..', '..');
const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const EVENTS = 300;
const TABLES = ['sources', 'actors', 'actor_aliases', 'events', 'event_participants', 'statements', 'statement_targets', 'statement_events', 'casualty_reports', 'provenance'];

async function seedSynthetic(url: string, ...args: string[]) {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [tsx, 'src/cli/seed-synthetic.ts', '--database', url, '--quiet', ...args], { cwd: root });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A hash of every ledger row, in id order. */
async function contentHash(database: Database): Promise<string> {
  const hash = createHash('sha256');
  for (const table of TABLES) {
    const rows = await database.prisma.$queryRawUnsafe<unknown[]>(`SELECT * FROM ${table} ORDER BY id`);
    hash.update(JSON.stringify(rows, (_key, value) => (typeof value === 'bigint' ? Number(value) : value)));
  }
  return hash.digest('hex');
}

let first: ScratchDatabase;
let second: ScratchDatabase;
let database: Database;
let app: App;

beforeAll(async () => {
  [first, second] = await Promise.all([cloneDatabase(inject('templateDatabaseUrl')), cloneDatabase(inject('templateDatabaseUrl'))]);
  const [cli] = await Promise.all([
    seedSynthetic(first.url, '--events', String(EVENTS), '--seed', '7', '--force'),
    loadSynthetic(second.url, { events: EVENTS, seed: 7, force: true }),
  ]);
  expect(cli.stdout).toContain(`Loaded ${EVENTS} synthetic events (seed 7)`);
  database = await connectDatabase(first.url);
  app = await buildApp({ database });
});
afterAll(async () => {
  await app?.close();
  await database?.close();
  await Promise.all([first?.drop(), second?.drop()]);
});

describe('npm run seed:synthetic', () => {
  it('writes the same rows for the same seed, and other rows for another seed', async () => {
    const other = await connectDatabase(second.url);
    try {
      const hash = await contentHash(database);
      expect(await contentHash(other)).toBe(hash);
      await loadSynthetic(second.url, { events: EVENTS, seed: 8, force: true });
      expect(await contentHash(other)).not.toBe(hash);
      const events = await other.prisma.event.count();
      expect(events).toBe(EVENTS);
    } finally {
      await other.close();
    }
  });

  it('replaced the seed article, and refuses a database that already holds records, saying how to replace them', async () => {
    expect(await database.prisma.event.count({ where: { id: { startsWith: 'evt_syn' } } })).toBe(EVENTS);
    const again = await seedSynthetic(first.url, '--events', '10');
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('--force');
    expect(await database.prisma.event.count()).toBe(EVENTS);
  });

  it('gives every record provenance whose excerpt is the source text at its offsets', async () => {
    const uncited = (table: string, column: string) =>
      database.prisma.$queryRawUnsafe<{ n: number | bigint }[]>(
        `SELECT count(*) AS n FROM ${table} t WHERE NOT EXISTS (SELECT 1 FROM provenance p WHERE p.${column} = t.id AND p.deleted_at IS NULL)`,
      );
    for (const [table, column] of [['events', 'event_id'], ['actors', 'actor_id'], ['event_participants', 'participant_id'], ['statements', 'statement_id'], ['casualty_reports', 'casualty_report_id']]) {
      expect(Number((await uncited(table, column))[0].n), table).toBe(0);
    }
    const misplaced = await database.prisma.$queryRawUnsafe<{ n: number | bigint }[]>(
      `SELECT count(*) AS n FROM provenance p JOIN sources s ON s.id = p.source_id
        WHERE substr(s.text, p.start_offset + 1, p.end_offset - p.start_offset) <> p.excerpt`,
    );
    expect(Number(misplaced[0].n)).toBe(0);
    expect(await database.prisma.provenance.count()).toBeGreaterThan(EVENTS * 3);
  });

  it('serves the synthetic records through the API: lists, details with includes, search and statistics', async () => {
    const list = await getJson(app, '/v1/events?limit=20&sort=-start_date');
    expect(list.status).toBe(200);
    expect(list.body.meta.total).toBe(EVENTS);
    expect(list.body.data).toHaveLength(20);
    const id = list.body.data[3].id;
    const event = await getJson(app, `/v1/events/${id}?include=participants,casualty_reports,sources`);
    expect(event.status).toBe(200);
    expect(event.body.sources[0].excerpt).toBe(event.body.description);
    expect(event.body.participants.length).toBeGreaterThanOrEqual(2);
    for (const participant of event.body.participants) expect(event.body.description).toContain(participant.sources[0].excerpt);

    const source = await getJson(app, `/v1/sources/${event.body.sources[0].id}?include=text`);
    expect(source.body.text).toContain(event.body.description);

    const country = list.body.data[0].country;
    const byCountry = await getJson(app, `/v1/events?country=${country}&from=1996-01-01&to=2025-12-31&limit=100`);
    expect(byCountry.body.data.length).toBeGreaterThan(0);
    expect(byCountry.body.data.every((e: { country: string }) => e.country === country)).toBe(true);

    const location = event.body.location;
    const found = await getJson(app, `/v1/events?q=${encodeURIComponent(location)}&limit=50`);
    expect(found.body.data.map((e: { id: string }) => e.id)).toContain(id);

    for (const url of ['/v1/actors?limit=5', '/v1/statements?limit=5', '/v1/casualty-reports?limit=5']) {
      const page = await getJson(app, url);
      expect(page.status, url).toBe(200);
      expect(page.body.data.length, url).toBeGreaterThan(0);
      for (const record of page.body.data) expect(record.sources.length, url).toBeGreaterThan(0);
    }
    const stats = await getJson(app, '/v1/stats/events?interval=year');
    expect(stats.status).toBe(200);
  });
});
