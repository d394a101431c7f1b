import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEW_EVENT_EXAMPLE } from '../../src/modules/events/events.examples.js';
import { getJson, seededApp, type TestApp } from '../helpers/app.js';
import { testKeys } from '../helpers/keys.js';
import { expectProblem } from '../helpers/problems.js';

// POST /v1/imports through the real app: who may import, which bodies, and what an ACLED
// CSV or an NDJSON body of our own event schema does to the ledger.

const SAMPLE = path.resolve(import.meta.dirname, '..', 'fixtures', 'acled-sample.csv');
// The sample's header and first 40 records (through line 31, the bad date).
const CSV_BODY = stringify((parse(readFileSync(SAMPLE, 'utf8'), { to: 41 }) as string[][]));

let t: TestApp;
let keys: Awaited<ReturnType<typeof testKeys>>;

beforeAll(async () => {
  t = await seededApp();
  keys = await testKeys(t);
});
afterAll(() => t.close());

function post(body: string, contentType: string, headers: Record<string, string> = keys.write) {
  return t.app.inject({ method: 'POST', url: '/v1/imports', headers: { ...headers, 'content-type': contentType }, payload: body });
}

describe('who may import, and what', () => {
  it('needs a key with the write scope (401 without, 403 read-only or revoked), before looking at the body', async () => {
    expectProblem(await post(CSV_BODY, 'text/csv', {}), 401);
    expectProblem(await post(CSV_BODY, 'text/csv', keys.read), 403);
    expectProblem(await post(CSV_BODY, 'text/csv', keys.revoked), 403);
    // Even a body of the wrong type is refused for the key first.
    expectProblem(await post('{}', 'application/json', {}), 401);
  });

  it('answers 415 for any body but text/csv or application/x-ndjson', async () => {
    const json = expectProblem(await post(JSON.stringify(NEW_EVENT_EXAMPLE), 'application/json'), 415);
    expect(json.detail).toBe('Send an ACLED CSV export as text/csv or events as application/x-ndjson, not "application/json".');
    expectProblem(await post(CSV_BODY, 'text/plain'), 415);
    expect(await t.database.prisma.event.count({ where: { externalId: { not: null } } })).toBe(0);
  });

  it('answers 400 naming the missing columns for a CSV that is not an ACLED export', async () => {
    const body = expectProblem(await post('id,title\n1,x\n', 'text/csv'), 400);
    expect(body.detail).toMatch(/^The CSV header lacks the ACLED column\(s\) event_id_cnty, event_date/);
  });

  it('takes bodies over the 1 MiB other routes allow', async () => {
    // One more row whose (unused) region column holds 1.2 MB.
    const [header, first] = parse(CSV_BODY, { to: 2 }) as string[][];
    const big: Record<string, string> = { ...Object.fromEntries(header.map((h, i) => [h, first[i]])), event_id_cnty: 'AFG77777', region: 'x'.repeat(1_200_000) };
    const response = await post(`${CSV_BODY}${stringify([header.map((h) => big[h])])}`, 'text/csv');
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ rows: 41, imported: 40, rejected: 1 });
  });
});

describe('an ACLED CSV body', () => {
  it('imports the good rows and reports the bad one', async () => {
    // (The previous test already imported these rows once: they are unchanged now.)
    const response = await post(CSV_BODY, 'text/csv');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ format: 'acled', rows: 40, imported: 0, updated: 0, unchanged: 39, rejected: 1, batches: 1, rejections_listed: 1 });
    expect(response.json().rejections).toEqual([
      { line: 31, column: 'event_date', reason: '"2025-02-30" is not a date (expected YYYY-MM-DD or "6 November 2025")' },
    ]);
    const { body } = await getJson(t.app, '/v1/events?external_id=AFG10001&include=participants');
    expect(body.data).toHaveLength(1);
    expect(body.data[0].participants).toHaveLength(2);
    const history = await t.services.revisions.history('events', body.data[0].id);
    expect(history).toEqual([expect.objectContaining({ action: 'created', changed_by: 'editor' })]);
  });
});

describe('an NDJSON body of events as POST /v1/events takes them', () => {
  const conflict = { ...NEW_EVENT_EXAMPLE, title: 'Imported clash', external_id: 'NDJ-1' };
  const child = { ...NEW_EVENT_EXAMPLE, id: 'evt_imported_child', title: 'Imported child', parent_id: 'evt_imported_parent' };
  const parent = { ...NEW_EVENT_EXAMPLE, id: 'evt_imported_parent', title: 'Imported parent' };
  const lines = [
    JSON.stringify(conflict),
    JSON.stringify(parent),
    '',
    JSON.stringify(child),
    JSON.stringify({ ...NEW_EVENT_EXAMPLE, participants: [{ actor_id: 'act_nobody', role: 'side_a' }] }),
    '{"title": "cut short',
    JSON.stringify({ ...NEW_EVENT_EXAMPLE, title: undefined, event_type: 'Skirmishes' }),
    JSON.stringify({ ...NEW_EVENT_EXAMPLE, title: 'Misquoted', sources: [{ id: 'src_toutiao_7570382530332770879', excerpt: 'words the article never says' }] }),
    JSON.stringify(NEW_EVENT_EXAMPLE),
  ];
  const body = `${lines.join('\n')}\n`;

  it('creates the good lines and reports each bad one by line and field', async () => {
    const response = await post(body, 'application/x-ndjson');
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ format: 'ndjson', rows: 8, imported: 4, updated: 0, unchanged: 0, rejected: 4 });
    expect(response.json().rejections).toEqual([
      { line: 5, column: 'participants.0.actor_id', reason: 'no actor has the id "act_nobody"' },
      { line: 6, column: null, reason: expect.stringMatching(/^is not valid JSON: /) },
      { line: 7, column: 'title', reason: expect.any(String) },
      { line: 7, column: 'event_type', reason: expect.any(String) },
      { line: 8, column: 'sources.0.excerpt', reason: 'is not a verbatim passage of source "src_toutiao_7570382530332770879"' },
    ]);
  });

  it('stores each event as POST /v1/events would', async () => {
    const imported = (await getJson(t.app, '/v1/events?external_id=NDJ-1&include=participants')).body.data[0];
    const posted = await t.app.inject({ method: 'POST', url: '/v1/events', headers: keys.write, payload: { ...conflict, external_id: 'NDJ-2' } });
    expect(posted.statusCode).toBe(201);
    const via = (await getJson(t.app, `/v1/events/${posted.json().id}?include=participants`)).body;
    const comparable = (e: Record<string, unknown>) => {
      const { id: _i, created_at: _c, updated_at: _u, external_id: _e, participants, ...rest } = e;
      return { ...rest, participants: (participants as { actor: unknown; role: string }[]).map((p) => [p.actor, p.role]) };
    };
    expect(comparable(imported)).toEqual(comparable(via));
    expect((await getJson(t.app, '/v1/events/evt_imported_child')).body.parent_id).toBe('evt_imported_parent');
  });

  it('changes nothing when the same body comes again, and updates what changed', async () => {
    const again = await post(body, 'application/x-ndjson');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ imported: 0, updated: 0, unchanged: 4, rejected: 4 });

    const changed = await post(`${JSON.stringify({ ...parent, title: 'Imported parent, renamed' })}\n`, 'application/x-ndjson');
    expect(changed.json()).toMatchObject({ imported: 0, updated: 1, unchanged: 0 });
    const { body: event } = await getJson(t.app, '/v1/events/evt_imported_parent');
    expect(event).toMatchObject({ title: 'Imported parent, renamed', version: 2 });
    const history = await t.services.revisions.history('events', 'evt_imported_parent');
    expect(history.map((r) => r.action)).toEqual(['created', 'updated']);
  });
});

describe('a NUL character (U+0000) in an imported row', () => {
  // PostgreSQL cannot hold U+0000 in text; SQLite would store it. Either way the row is
  // refused into the report, and the rows around it are imported.
  const NUL_REASON = 'contains a NUL character (U+0000), which the ledger cannot store';

  it('rejects an ACLED row with a NUL in any cell, naming the column, and imports the others', async () => {
    const [header, first] = parse(CSV_BODY, { to: 2 }) as string[][];
    const row = (changes: Record<string, string>) => {
      const cells: Record<string, string> = { ...Object.fromEntries(header.map((h, i) => [h, first[i]])), notes: 'A clash near the crossing.', ...changes };
      return header.map((h) => cells[h]);
    };
    const body = stringify([
      header,
      row({ event_id_cnty: 'NUL1', notes: 'A clash\u0000 near the crossing.' }),
      row({ event_id_cnty: 'NUL2' }),
      row({ event_id_cnty: 'NUL3', location: 'Spin\u0000Boldak', actor2: '\u0000' }),
      row({ event_id_cnty: 'NUL\u00004' }),
    ]);
    const response = await post(body, 'text/csv');
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ rows: 4, imported: 1, rejected: 3 });
    expect(response.json().rejections).toEqual([
      { line: 2, column: 'notes', reason: NUL_REASON },
      { line: 4, column: 'actor2', reason: NUL_REASON },
      { line: 4, column: 'location', reason: NUL_REASON },
      { line: 5, column: 'event_id_cnty', reason: NUL_REASON },
    ]);
    const stored = await t.database.prisma.event.findMany({ where: { externalId: { startsWith: 'NUL' } }, select: { externalId: true } });
    expect(stored).toEqual([{ externalId: 'NUL2' }]);
  });

  it('rejects an NDJSON line with a NUL in any string or key, naming the field, and imports the others', async () => {
    const lines = [
      { ...NEW_EVENT_EXAMPLE, external_id: 'NDJ-NUL-1', title: 'Nul\u0000 clash' },
      { ...NEW_EVENT_EXAMPLE, external_id: 'NDJ-NUL-2', title: 'Clean clash' },
      { ...NEW_EVENT_EXAMPLE, external_id: 'NDJ-NUL-3', participants: [{ actor_id: 'act_pakistan_armed_forces', role: 'side_a', notes: 'a\u0000b' }] },
      { ...NEW_EVENT_EXAMPLE, external_id: 'NDJ-NUL-4', 'sub\u0000': 'x' },
    ];
    const response = await post(`${lines.map((line) => JSON.stringify(line)).join('\n')}\n`, 'application/x-ndjson');
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ rows: 4, imported: 1, rejected: 3 });
    expect(response.json().rejections).toEqual([
      { line: 1, column: 'title', reason: NUL_REASON },
      { line: 3, column: 'participants.0.notes', reason: NUL_REASON },
      { line: 4, column: 'sub\u0000', reason: NUL_REASON },
    ]);
    const stored = await t.database.prisma.event.findMany({ where: { externalId: { startsWith: 'NDJ-NUL' } }, select: { externalId: true } });
    expect(stored).toEqual([{ externalId: 'NDJ-NUL-2' }]);
  });
});
