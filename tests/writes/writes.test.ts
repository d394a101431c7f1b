import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, seededApp, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/problems.js';
import { testKeys } from '../helpers/keys.js';
import { NEW_EVENT_EXAMPLE } from '../../src/modules/events/events.examples.js';
import { NEW_ACTOR_EXAMPLE } from '../../src/modules/actors/actors.examples.js';
import { NEW_STATEMENT_EXAMPLE } from '../../src/modules/statements/statements.examples.js';
import { NEW_CASUALTY_REPORT_EXAMPLE } from '../../src/modules/casualty-reports/casualty-reports.examples.js';
import { NEW_SOURCE_EXAMPLE } from '../../src/modules/sources/sources.examples.js';

let t: TestApp;
let keys: Awaited<ReturnType<typeof testKeys>>;
beforeAll(async () => {
  t = await seededApp();
  keys = await testKeys(t);
});
afterAll(() => t.close());

const SOURCE = 'src_toutiao_7570382530332770879';
const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url, payload, headers: { ...keys.write, ...headers } });

/** Row counts of every table: a rejected write must leave them all as they were. */
async function counts() {
  const p = t.database.prisma;
  return Promise.all([
    p.event.count(), p.eventParticipant.count(), p.actor.count(), p.actorAlias.count(), p.statement.count(),
    p.statementTarget.count(), p.statementEvent.count(), p.casualtyReport.count(), p.source.count(),
    p.provenance.count(), p.revision.count(),
  ]);
}


describe('the documented create examples', () => {
  it.each([
    ['/v1/sources', NEW_SOURCE_EXAMPLE],
    ['/v1/actors', NEW_ACTOR_EXAMPLE],
    ['/v1/events', NEW_EVENT_EXAMPLE],
    ['/v1/statements', NEW_STATEMENT_EXAMPLE],
    ['/v1/casualty-reports', NEW_CASUALTY_REPORT_EXAMPLE],
  ])('POST %s with the OpenAPI example creates the record', async (path, example) => {
    const response = await send('POST', path, example);
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body.version).toBe(1);
    expect(response.headers.location).toBe(`${path}/${body.id}`);
    expect(response.headers.etag).toMatch(/^"1-/);
    const fetched = await getJson(t.app, `${path}/${body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body.id).toBe(body.id);
  });
});

describe('who may write', () => {
  const body = { ...NEW_ACTOR_EXAMPLE, name: 'Auth probe' };

  it('answers 401 with WWW-Authenticate when no key is sent', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/v1/actors', payload: body });
    expectProblem(response, 401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="conflict-ledger"/);
  });

  it('answers 401 for a key that does not exist', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/v1/actors', payload: body, headers: { authorization: 'Bearer cl_nothing_nothing' } });
    expectProblem(response, 401);
    expect(response.headers['www-authenticate']).toContain('invalid_token');
  });

  it('answers 403 for a read-only key and for a revoked key', async () => {
    const before = await counts();
    const readOnly = await t.app.inject({ method: 'POST', url: '/v1/actors', payload: body, headers: keys.read });
    expect(expectProblem(readOnly, 403).detail).toMatch(/write/);
    expect(readOnly.headers['www-authenticate']).toContain('insufficient_scope');
    const revoked = await t.app.inject({ method: 'PATCH', url: '/v1/actors/act_turkey', payload: { notes: 'x' }, headers: keys.revoked });
    expect(expectProblem(revoked, 403).detail).toMatch(/revoked/);
    expect(await counts()).toEqual(before);
  });

  it('lets a write key write, and records its name as the author', async () => {
    const response = await send('POST', '/v1/actors', body);
    expect(response.statusCode).toBe(201);
    const history = await getJson(t.app, `/v1/actors/${response.json().id}/revisions`);
    expect(history.body.data).toEqual([
      expect.objectContaining({ version: 1, action: 'created', changed_by: 'editor', changes: expect.objectContaining({ name: { from: null, to: 'Auth probe' } }) }),
    ]);
  });

  it('keeps reads open', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/v1/actors' })).statusCode).toBe(200);
  });

  it('checks the key before the body, so a client without one learns nothing about the schema', async () => {
    const invalid = { name: 42, surprise: true };
    const none = await t.app.inject({ method: 'POST', url: '/v1/actors', payload: invalid });
    expect(expectProblem(none, 401).errors ?? []).toEqual([]);
    const readOnly = await t.app.inject({ method: 'PATCH', url: '/v1/actors/act_turkey', payload: invalid, headers: keys.read });
    expectProblem(readOnly, 403);
    const writer = await send('POST', '/v1/actors', invalid);
    expectProblem(writer, 400, "body.name");
  });
});

describe('bad writes are refused whole', () => {
  const event = (changes: object) => ({ ...NEW_EVENT_EXAMPLE, title: 'Rejected event', ...changes });

  it.each([
    ['an unknown field', '/v1/events', event({ colour: 'red' }), 'body.colour'],
    ['a wrong type', '/v1/events', event({ latitude: 'north' }), 'body.latitude'],
    ['end_date before start_date', '/v1/events', event({ start_date: '2025-11-07', end_date: '2025-11-01' }), 'body.end_date'],
    ['a sub-event type of another event type', '/v1/events', event({ sub_event_type: 'Agreement' }), 'body.sub_event_type'],
    ['a dangling parent', '/v1/events', event({ parent_id: 'evt_nowhere' }), 'body.parent_id'],
    ['a dangling participant', '/v1/events', event({ participants: [{ actor_id: 'act_nobody', role: 'side_a' }] }), 'body.participants.0.actor_id'],
    ['an excerpt not in the source', '/v1/events', event({ sources: [{ id: SOURCE, excerpt: 'The armies signed a peace treaty.' }] }), 'body.sources.0.excerpt'],
    [
      "a participant's excerpt not in the source (after the event itself passed)",
      '/v1/events',
      event({ participants: [{ actor_id: 'act_turkey', role: 'mediator', sources: [{ id: SOURCE, excerpt: 'Turkey refused to mediate' }] }] }),
      'body.participants.0.sources.0.excerpt',
    ],
    ['an unknown source', '/v1/events', event({ sources: [{ id: 'src_unknown', excerpt: 'Tensions' }] }), 'body.sources.0.id'],
    [
      'min above max',
      '/v1/casualty-reports',
      { ...NEW_CASUALTY_REPORT_EXAMPLE, killed: { min: 60, max: 50 } },
      'body.killed.min',
    ],
    ['a dangling event', '/v1/casualty-reports', { ...NEW_CASUALTY_REPORT_EXAMPLE, event_id: 'evt_nowhere' }, 'body.event_id'],
    ['a dangling target', '/v1/statements', { ...NEW_STATEMENT_EXAMPLE, target_ids: ['act_nobody'] }, 'body.target_ids.0'],
    ['a misquotation', '/v1/statements', { ...NEW_STATEMENT_EXAMPLE, quote: 'Pakistan surrenders' }, 'body.quote'],
    ['a dangling actor parent', '/v1/actors', { ...NEW_ACTOR_EXAMPLE, parent_id: 'act_nobody' }, 'body.parent_id'],
  ])('refuses %s with 400 naming the field, writing nothing', async (_what, path, body, field) => {
    const before = await counts();
    expectProblem(await send('POST', path, body), 400, field);
    expect(await counts()).toEqual(before);
  });

  it('refuses a PATCH that sets a server-owned property, changing nothing', async () => {
    const before = await counts();
    const stored = (await getJson(t.app, '/v1/actors/act_turkey')).body;
    for (const [field, value] of [
      ['version', 99],
      ['id', 'act_someone_else'],
      ['created_at', '2000-01-01T00:00:00.000Z'],
      ['updated_at', '2000-01-01T00:00:00.000Z'],
      ['changed_by', 'someone-else'],
    ] as const) {
      expectProblem(await send('PATCH', '/v1/actors/act_turkey', { notes: 'mass assignment', [field]: value }), 400, `body.${field}`);
    }
    expect((await getJson(t.app, '/v1/actors/act_turkey')).body).toEqual(stored);
    expect(await counts()).toEqual(before);
  });

  it('refuses an id that is taken with 409', async () => {
    const before = await counts();
    expectProblem(await send('POST', '/v1/actors', { ...NEW_ACTOR_EXAMPLE, id: 'act_turkey' }), 409);
    expect(await counts()).toEqual(before);
  });

  it('refuses a cycle of actor parents', async () => {
    const before = await counts();
    // The ministry belongs to the government: making the government belong to the ministry is a cycle.
    const response = await send('PATCH', '/v1/actors/act_pakistan_government', { parent_id: 'act_pakistan_ministry_of_information' });
    expectProblem(response, 400, 'body.parent_id');
    expect(await counts()).toEqual(before);
  });

  it('refuses a cycle of event parents, including an event as its own parent', async () => {
    const before = await counts();
    expectProblem(await send('PATCH', '/v1/events/evt_afghanistan_pakistan_border_conflict', { parent_id: 'evt_spinghar_border_clash' }), 400, 'body.parent_id');
    expectProblem(await send('PATCH', '/v1/events/evt_istanbul_talks', { parent_id: 'evt_istanbul_talks' }), 400, 'body.parent_id');
    expect(await counts()).toEqual(before);
  });

  it('validates the whole record after a patch', async () => {
    const before = await counts();
    expectProblem(await send('PATCH', '/v1/events/evt_spinghar_border_clash', { end_date: '2025-01-01' }), 400, 'body.end_date');
    expectProblem(await send('PATCH', '/v1/events/evt_spinghar_border_clash', { title: null }), 400, 'body.title');
    expectProblem(await send('PATCH', '/v1/events/evt_spinghar_border_clash', {}), 400);
    expect(await counts()).toEqual(before);
  });

  it('refuses to delete a record that live records still refer to', async () => {
    const before = await counts();
    const response = await send('DELETE', '/v1/actors/act_pakistan_government');
    expect(expectProblem(response, 409).detail).toMatch(/still referred to/);
    expectProblem(await send('DELETE', `/v1/sources/${SOURCE}`), 409);
    expect(await counts()).toEqual(before);
  });

  it('answers 404 for writes to records that do not exist', async () => {
    expectProblem(await send('PATCH', '/v1/statements/stm_nothing', { summary: 'x' }), 404);
    expectProblem(await send('DELETE', '/v1/statements/stm_nothing'), 404);
  });
});

describe('changing and deleting', () => {
  it('applies a patch, bumps the version and keeps the rest', async () => {
    const before = (await getJson(t.app, '/v1/events/evt_qatar_brokered_ceasefire')).body;
    const response = await send('PATCH', '/v1/events/evt_qatar_brokered_ceasefire', { status: 'collapsed', notes: null });
    expect(response.statusCode).toBe(200);
    const after = response.json();
    expect(after).toMatchObject({ status: 'collapsed', notes: null, version: before.version + 1, title: before.title, sources: before.sources });
    expect(after.participants.length).toBeGreaterThan(0);
  });

  it('replaces lists that are sent: participants and their provenance', async () => {
    const response = await send('PATCH', '/v1/events/evt_kabul_explosion', {
      participants: [{ actor_id: 'act_taliban_government', role: 'target', notes: 'per the Taliban government' }],
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().participants.map((p: { actor: { id: string }; role: string }) => `${p.actor.id}:${p.role}`)).toEqual(['act_taliban_government:target']);
    const list = await getJson(t.app, '/v1/events?actor=act_taliban_government&actor_role=target');
    expect(list.body.data.map((e: { id: string }) => e.id)).toEqual(['evt_kabul_explosion']);
  });

  it('tombstones a deleted record: 410 on detail, gone from lists, kept in the feed', async () => {
    const created = (await send('POST', '/v1/actors', { ...NEW_ACTOR_EXAMPLE, name: 'Short-lived' })).json();
    const deleted = await send('DELETE', `/v1/actors/${created.id}`);
    expect(deleted.statusCode).toBe(204);
    expectProblem(await t.app.inject({ method: 'GET', url: `/v1/actors/${created.id}` }), 410);
    const list = await getJson(t.app, '/v1/actors?q=Short-lived');
    expect(list.body.data).toEqual([]);
    const feed = await getJson(t.app, '/v1/changes?limit=1000');
    const entries = feed.body.data.filter((c: { id: string }) => c.id === created.id);
    expect(entries.map((c: { action: string; record: unknown }) => [c.action, c.record === null])).toEqual([
      ['created', false],
      ['deleted', true],
    ]);
    expectProblem(await send('PATCH', `/v1/actors/${created.id}`, { notes: 'x' }), 410);
  });

  it('lists only records changed since a time with updated_since', async () => {
    const mark = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await send('PATCH', '/v1/statements/stm_tarar_thanks_turkey_and_qatar', { summary: 'Tarar thanked Turkey and Qatar for mediating.' });
    const list = await getJson(t.app, `/v1/statements?updated_since=${encodeURIComponent(mark)}`);
    expect(list.body.data.map((s: { id: string }) => s.id)).toEqual(['stm_tarar_thanks_turkey_and_qatar']);
  });
});

describe('If-Match', () => {
  it('answers 412 and changes nothing when the ETag is stale', async () => {
    const read = await t.app.inject({ method: 'GET', url: '/v1/actors/act_qatar' });
    const etag = read.headers.etag as string;
    expect(etag).toMatch(/^"\d+-/);
    const first = await send('PATCH', '/v1/actors/act_qatar', { notes: 'first edit' }, { 'if-match': etag });
    expect(first.statusCode).toBe(200);
    const stale = await send('PATCH', '/v1/actors/act_qatar', { notes: 'second edit, based on the old read' }, { 'if-match': etag });
    expect(expectProblem(stale, 412).detail).toMatch(/version/);
    expect((await getJson(t.app, '/v1/actors/act_qatar')).body.notes).toBe('first edit');
    expectProblem(await send('DELETE', '/v1/actors/act_qatar', undefined, { 'if-match': etag }), 412);
    const fresh = await send('PATCH', '/v1/actors/act_qatar', { notes: 'based on the new ETag' }, { 'if-match': first.headers.etag as string });
    expect(fresh.statusCode).toBe(200);
  });

  it('lets exactly one of many concurrent PATCHes with the same If-Match through', async () => {
    const etag = (await t.app.inject({ method: 'GET', url: '/v1/actors/act_reuters' })).headers.etag as string;
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => send('PATCH', '/v1/actors/act_reuters', { notes: `writer ${i}` }, { 'if-match': etag })),
    );
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
    const winner = responses.find((r) => r.statusCode === 200)!.json();
    const stored = (await getJson(t.app, '/v1/actors/act_reuters')).body;
    expect(stored.notes).toBe(winner.notes);
    expect(stored.version).toBe(winner.version);
  });

  it('never loses one of many concurrent PATCHes without If-Match', async () => {
    const before = (await getJson(t.app, '/v1/actors/act_ttp')).body;
    const aliases = Array.from({ length: 10 }, (_, i) => `alias ${i}`);
    // Each writer adds its alias to the list it reads: serialized writes keep all of them.
    await Promise.all(
      aliases.map(async (alias) => {
        const current = await t.services.actors.get('act_ttp');
        return t.services.actors.update('act_ttp', { aliases: [...current.aliases, alias] }, { actor: 'test' });
      }),
    );
    const after = (await getJson(t.app, '/v1/actors/act_ttp')).body;
    expect(after.version).toBe(before.version + 10);
  });
});

describe('Idempotency-Key', () => {
  const body = { ...NEW_ACTOR_EXAMPLE, name: 'Idempotent actor' };

  it('replays the first response to a retry, without a second record', async () => {
    const first = await send('POST', '/v1/actors', body, { 'idempotency-key': 'retry-1' });
    expect(first.statusCode).toBe(201);
    const before = await counts();
    const retry = await send('POST', '/v1/actors', body, { 'idempotency-key': 'retry-1' });
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await counts()).toEqual(before);
  });

  it('refuses the same key with a different body', async () => {
    await send('POST', '/v1/actors', body, { 'idempotency-key': 'retry-2' });
    const before = await counts();
    const reuse = await send('POST', '/v1/actors', { ...body, name: 'Someone else' }, { 'idempotency-key': 'retry-2' });
    expectProblem(reuse, 422);
    expect(await counts()).toEqual(before);
  });

  it('lets a failed request be retried with the same key', async () => {
    const bad = await send('POST', '/v1/actors', { ...body, parent_id: 'act_nobody' }, { 'idempotency-key': 'retry-3' });
    expectProblem(bad, 400);
    const fixed = await send('POST', '/v1/actors', { ...body, parent_id: 'act_nobody' }, { 'idempotency-key': 'retry-3' });
    expectProblem(fixed, 400);
  });

  it('is never replayed to another API key, which gets its own record', async () => {
    const other = await t.services.apiKeys.create({ name: 'second-editor', scopes: ['read', 'write'] });
    const first = await send('POST', '/v1/actors', { ...body, name: 'Shared key' }, { 'idempotency-key': 'shared-1' });
    expect(first.statusCode).toBe(201);
    // The same Idempotency-Key and body from another API key: a new request, not a replay of
    // the first key's stored response.
    const fromOther = await send('POST', '/v1/actors', { ...body, name: 'Shared key' }, { 'idempotency-key': 'shared-1', authorization: `Bearer ${other.key}` });
    expect(fromOther.statusCode).toBe(201);
    expect(fromOther.headers['idempotent-replayed']).toBeUndefined();
    expect(fromOther.json().id).not.toBe(first.json().id);
    // Nor does the other key's use of it make a different body a conflict for that key.
    const otherBody = await send('POST', '/v1/actors', { ...body, name: 'Another body' }, { 'idempotency-key': 'shared-2', authorization: `Bearer ${other.key}` });
    expect(otherBody.statusCode).toBe(201);
    const mine = await send('POST', '/v1/actors', { ...body, name: 'Mine' }, { 'idempotency-key': 'shared-2' });
    expect(mine.statusCode).toBe(201);
    expect(mine.json().name).toBe('Mine');
    const authors = await Promise.all([first, fromOther].map(async (r) => (await getJson(t.app, `/v1/actors/${r.json().id}/revisions`)).body.data[0].changed_by));
    expect(authors).toEqual(['editor', 'second-editor']);
  });

  it('forgets keys after 24 hours', async () => {
    await send('POST', '/v1/actors', { ...body, name: 'Expiring' }, { 'idempotency-key': 'retry-4' });
    await t.database.prisma.idempotencyKey.updateMany({ where: { key: 'retry-4' }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const later = await send('POST', '/v1/actors', { ...body, name: 'Expiring' }, { 'idempotency-key': 'retry-4' });
    expect(later.statusCode).toBe(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
  });
});

describe('revision history', () => {
  it('shows the old and new figures of a revised casualty report', async () => {
    const id = 'cas_pakistani_military_soldiers';
    const revised = await send('PATCH', `/v1/casualty-reports/${id}`, { killed: { min: 23, max: 25 }, qualifier: 'revised upward' });
    expect(revised.statusCode, revised.body).toBe(200);
    const history = (await getJson(t.app, `/v1/casualty-reports/${id}/revisions`)).body.data;
    expect(history.map((r: { action: string; version: number }) => [r.action, r.version])).toEqual([
      ['created', 1],
      ['updated', 2],
    ]);
    expect(history[0].changed_by).toBe('seed');
    expect(history[1]).toMatchObject({
      changed_by: 'editor',
      changes: {
        killed: { from: { min: 23, max: 23 }, to: { min: 23, max: 25 } },
        qualifier: { from: null, to: 'revised upward' },
      },
    });
    expect(Object.keys(history[1].changes).sort()).toEqual(['killed', 'qualifier']);
  });

  it('answers 404 for a record that never existed', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/events/evt_never/revisions' }), 404);
  });
});
