import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsDir } from '../../src/db/migrate.js';
import type { Db } from '../../src/db/prisma.js';
import { query, raw, sql } from '../../src/db/sql.js';
import { SEARCH_TARGETS, textSearchMigration } from '../../src/db/text-search-schema.js';
import { searchTerms, textSearchCondition } from '../../src/db/text-search.js';
import { NEW_EVENT_EXAMPLE } from '../../src/modules/events/events.examples.js';
import { getJson, seededApp, walkPages, type TestApp } from '../helpers/app.js';
import { testKeys } from '../helpers/keys.js';
import { expectProblem } from '../helpers/problems.js';
import { provider } from '../helpers/databases.js';
import { TEXT_SEARCH_MIGRATION } from '../../scripts/text-search-sql.js';

// `q` is full-text search: every word of the query starts a word of the record, case and
// accents ignored, answered from an index (SQLite FTS5, PostgreSQL GIN) kept current by
// the database itself as records are written.

let t: TestApp;
let keys: Awaited<ReturnType<typeof testKeys>>;
beforeAll(async () => {
  t = await seededApp();
  keys = await testKeys(t);
});
afterAll(() => t.close());

const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url, payload, headers: { ...keys.write, ...headers } });

const ids = async (url: string) => (await getJson(t.app, url)).body.data.map((record: { id: string }) => record.id);

describe('query words', () => {
  it('are the letters and digits of the query, lower-cased and composed', () => {
    expect(searchTerms('  Kābul’s  TALIBAN, 2025!')).toEqual(['kābul', 's', 'taliban', '2025']);
    expect(searchTerms('Ka\u0304bul')).toEqual(['kābul']);
    expect(searchTerms('%_ -- "')).toEqual([]);
  });
});

describe('q on events', () => {
  let id: string;
  beforeAll(async () => {
    const created = await send('POST', '/v1/events', {
      ...NEW_EVENT_EXAMPLE,
      title: 'Shelling near Kābul’s Qalʿa-ye Zaṛah market',
      description: 'Residents of Ṣūrobī reported artillery fire.',
    });
    expect(created.statusCode).toBe(201);
    id = JSON.parse(created.body).id;
  });

  it.each([
    ['kabul', true], // accents in the record
    ['KĀBUL', true], // accents and case in the query
    ['Ka%CC%84bul', true], // a decomposed accent in the query
    ['kab', true], // a word prefix
    ['abul', false], // not the start of a word
    ['zarah market', true], // every word, in any order
    ['market zar', true],
    ['zarah talks', false], // one word missing
    ['surobi artillery', true], // title and description together
    ['shelling%20near', true],
  ])('q=%s finds the new event: %s', async (q, found) => {
    expect((await ids(`/v1/events?q=${q}&limit=1000`)).includes(id)).toBe(found);
  });

  it('follows edits and deletions: the index is kept by the database', async () => {
    const before = await t.app.inject({ method: 'GET', url: `/v1/events/${id}` });
    const patched = await send('PATCH', `/v1/events/${id}`, { title: 'Mortar fire at the Torkham crossing' }, { 'if-match': before.headers.etag as string });
    expect(patched.statusCode).toBe(200);
    expect(await ids('/v1/events?q=torkham%20mortar')).toEqual([id]);
    expect(await ids('/v1/events?q=zarah')).toEqual([]);
    expect(await ids('/v1/events?q=surobi')).toEqual([id]); // the description did not change

    const current = await t.app.inject({ method: 'GET', url: `/v1/events/${id}` });
    expect((await send('DELETE', `/v1/events/${id}`, undefined, { 'if-match': current.headers.etag as string })).statusCode).toBe(204);
    expect(await ids('/v1/events?q=torkham')).toEqual([]);
  });

  it('combines with the other filters, pages and counts in the database', async () => {
    const all = await getJson(t.app, '/v1/events?q=istanbul&limit=1000');
    expect(all.body.data.length).toBeGreaterThan(2);
    const walked = await walkPages(t.app, '/v1/events?q=istanbul&limit=1&sort=start_date');
    expect(walked.total).toBe(all.body.data.length);
    expect(walked.pages).toBe(all.body.data.length);
    expect(walked.records.map((e) => e.id).sort()).toEqual(all.body.data.map((e: { id: string }) => e.id).sort());
    const dates = walked.records.map((e) => e.start_date);
    expect(dates).toEqual([...dates].sort());

    const narrowed = await getJson(t.app, '/v1/events?q=istanbul&event_type=Strategic%20developments&limit=1000');
    expect(narrowed.body.meta.total).toBe(narrowed.body.data.length);
    expect(narrowed.body.data.every((e: { event_type: string }) => e.event_type === 'Strategic developments')).toBe(true);
    expect(narrowed.body.data.length).toBeLessThan(all.body.data.length);
  });

  it('exports what it lists', async () => {
    const listed = await ids('/v1/events?q=istanbul&limit=1000');
    const exported = await t.app.inject({ method: 'GET', url: '/v1/events?q=istanbul&format=ndjson' });
    expect(exported.body.trim().split('\n').map((line) => JSON.parse(line).id)).toEqual(listed);
  });

  it.each(['q=%20%20', 'q=%25', 'q=--%20%22', `q=${'a'.repeat(201)}`])('rejects %s with 400', async (query) => {
    expectProblem(await t.app.inject({ method: 'GET', url: `/v1/events?${query}` }), 400, 'query.q');
  });
});

describe('q on the other lists', () => {
  it.each([
    ['/v1/actors?q=tehrik', ['act_ttp']],
    ['/v1/actors?q=islamab', ['act_pakistan_government']], // an alias
    ['/v1/statements?q=neighbo', undefined],
    ['/v1/sources?q=spinghar%20tarar', ['src_toutiao_7570382530332770879']],
  ])('%s', async (url, expected) => {
    const found = await ids(url);
    if (expected) expect(found).toEqual(expected);
    else expect(found.length).toBeGreaterThan(0);
  });
});

describe('the search indexes', () => {
  it('are created by the committed migration, which matches src/db/text-search.ts', () => {
    for (const p of ['sqlite', 'postgresql'] as const) {
      const committed = readFileSync(path.join(migrationsDir(p), TEXT_SEARCH_MIGRATION, 'migration.sql'), 'utf8');
      expect(committed).toBe(textSearchMigration(p));
    }
  });

  it('answer the query: the plan reads the index, not the table', async () => {
    const condition = textSearchCondition(provider, SEARCH_TARGETS.events, 'e', 'istanbul talks');
    const plan = await t.database.prisma.$transaction(async (tx) => {
      if (provider === 'postgresql') await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      const explain = raw(provider === 'postgresql' ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN');
      return query<Record<string, string>>(tx as unknown as Db, provider, sql`${explain} SELECT e.id FROM events e WHERE ${condition}`);
    });
    const text = plan.map((row) => Object.values(row).join(' ')).join('\n');
    expect(text).toMatch(provider === 'postgresql' ? /Bitmap Index Scan on events_search/ : /VIRTUAL TABLE INDEX/);
  });
});
