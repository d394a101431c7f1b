import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, seededApp, walkPages, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/problems.js';

let t: TestApp;
beforeAll(async () => {
  t = await seededApp();
});
afterAll(() => t.close());

const ids = (body: { data: { id: string }[] }) => body.data.map((e) => e.id).sort();

const CONFLICT = 'evt_afghanistan_pakistan_border_conflict';
const CLASH = 'evt_spinghar_border_clash';
const TALKS = 'evt_istanbul_talks';
const PREVIOUS_TALKS = 'evt_istanbul_talks_previous_week';
const CEASEFIRE = 'evt_qatar_brokered_ceasefire';
const KABUL = 'evt_kabul_explosion';
const DOHA = 'evt_doha_agreement';
const ALL = [CONFLICT, CLASH, TALKS, PREVIOUS_TALKS, CEASEFIRE, KABUL, DOHA].sort();

describe('GET /v1/events', () => {
  it('lists every seeded event with its provenance', async () => {
    const { status, body } = await getJson(t.app, '/v1/events?limit=1000');
    expect(status).toBe(200);
    expect(ids(body)).toEqual(ALL);
    expect(body.meta).toMatchObject({ limit: 1000, total: 7, next_cursor: null });
    expect(body.links.next).toBeNull();
    for (const event of body.data) {
      expect(event.sources.length).toBeGreaterThan(0);
      expect(event.sources[0]).toMatchObject({ id: 'src_toutiao_7570382530332770879', title: expect.any(String) });
    }
  });

  it.each([
    ['event_type=Battles', [CONFLICT, CLASH]],
    ['event_type=Strategic%20developments', [TALKS, PREVIOUS_TALKS, CEASEFIRE, DOHA]],
    ['sub_event_type=Agreement', [PREVIOUS_TALKS, CEASEFIRE, DOHA]],
    ['sub_event_type=Armed%20clash,Other', [CONFLICT, CLASH, TALKS]],
    ['country=AFG', [CLASH, KABUL]],
    ['country=TUR,QAT', [TALKS, PREVIOUS_TALKS, DOHA]],
    ['admin1=Kandahar', [CLASH]],
    ['from=2025-11-05&to=2025-11-06', [CONFLICT, CLASH, TALKS, CEASEFIRE, KABUL]],
    ['to=2021-12-31', [DOHA]],
    ['from=2025-11-07', [CONFLICT, TALKS, CEASEFIRE, KABUL]],
    ['actor=act_turkey', [TALKS, PREVIOUS_TALKS]],
    ['actor=act_turkey&actor_role=host', [TALKS]],
    ['actor_role=delegation_lead', [TALKS]],
    ['actor=act_asim_malik,act_abdul_haq_wasiq&actor_role=delegation_lead', [TALKS]],
    [`parent=${CONFLICT}`, [CLASH, TALKS, PREVIOUS_TALKS, CEASEFIRE, KABUL]],
    ['status=stalled', [TALKS]],
    ['status=stalled,in_effect', [TALKS, CEASEFIRE]],
    ['bbox=60,29,75,38', [KABUL]],
    ['bbox=20,20,60,45', [TALKS, PREVIOUS_TALKS, DOHA]],
    ['q=spinghar', [CLASH]],
    ['q=ISTANBUL', [CONFLICT, CLASH, TALKS, PREVIOUS_TALKS]],
    ['updated_since=2000-01-01T00:00:00Z', ALL],
    ['updated_since=2999-01-01T00:00:00Z', []],
    ['country=AFG&event_type=Battles', [CLASH]],
  ])('filters by %s', async (query, expected) => {
    const { status, body } = await getJson(t.app, `/v1/events?${query}`);
    expect(status).toBe(200);
    expect(ids(body)).toEqual([...expected].sort());
    expect(body.meta.total).toBe(expected.length);
  });

  it.each(['-start_date', 'start_date', 'title', '-end_date,title', 'created_at', '-updated_at'])(
    'walks every record exactly once in pages of 2 sorted by %s',
    async (sort) => {
      const full = await getJson(t.app, `/v1/events?limit=1000&sort=${sort}`);
      const walked = await walkPages(t.app, `/v1/events?limit=2&sort=${sort}`);
      expect(walked.pages).toBe(4);
      expect(walked.total).toBe(7);
      expect(walked.records.map((e) => e.id)).toEqual(full.body.data.map((e: { id: string }) => e.id));
      expect(new Set(walked.records.map((e) => e.id)).size).toBe(7);
    },
  );

  it('sorts by start date, newest first by default, ties broken by id', async () => {
    const { body } = await getJson(t.app, '/v1/events');
    const keys = body.data.map((e: { start_date: string; id: string }) => [e.start_date, e.id]);
    const sorted = [...keys].sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? 1 : -1));
    expect(keys).toEqual(sorted);
    expect(body.data.at(-1).id).toBe(DOHA);
  });

  it('keeps paging stable when events are inserted between pages', async () => {
    const first = await getJson(t.app, '/v1/events?limit=3&sort=start_date');
    await t.services.events.create({
      id: 'evt_inserted_while_paging',
      title: 'An earlier event inserted while a client pages',
      event_type: 'Battles',
      start_date: '2000-01-01',
      end_date: '2000-01-01',
      date_precision: 'day',
      sources: [{ id: 'src_toutiao_7570382530332770879', excerpt: 'Tensions' }],
    }, { actor: 'test' });
    const rest = await walkPages(t.app, first.body.links.next);
    const seen = [...first.body.data, ...rest.records].map((e: { id: string }) => e.id);
    expect(seen).not.toContain('evt_inserted_while_paging');
    expect(new Set(seen)).toEqual(new Set(ALL));
  });

  it('returns only the requested fields, and id', async () => {
    const { body } = await getJson(t.app, '/v1/events?fields=title,country&limit=1000');
    for (const event of body.data) expect(Object.keys(event).sort()).toEqual(['country', 'id', 'title']);
  });

  it.each([
    ['country=Pakistan', 'query.country.0'],
    ['limit=0', 'query.limit'],
    ['limit=1001', 'query.limit'],
    ['from=2025-13-01', 'query.from'],
    ['from=2025-11-07&to=2025-11-01', 'query.to'],
    ['sort=casualties', 'query.sort.0'],
    ['fields=title,nonsense', 'query.fields.1'],
    ['include=everything', 'query.include.0'],
    ['bbox=1,2,3', 'query.bbox'],
    ['event_type=Skirmish', 'query.event_type.0'],
    ['contry=PAK', 'query.contry'],
    ['cursor=not-a-cursor', 'query.cursor'],
    ['updated_since=yesterday', 'query.updated_since'],
  ])('rejects %s with a problem naming %s', async (query, path) => {
    const response = await t.app.inject({ method: 'GET', url: `/v1/events?${query}` });
    const problem = expectProblem(response, 400, path);
    expect(problem).toMatchObject({ status: 400, title: expect.any(String), instance: `/v1/events?${query}` });
  });

  it('refuses a cursor from another sort order', async () => {
    const { body } = await getJson(t.app, '/v1/events?limit=2&sort=title');
    const { status, body: problem } = await getJson(t.app, `/v1/events?limit=2&sort=-title&cursor=${body.meta.next_cursor}`);
    expect(status).toBe(400);
    expect(problem.detail).toMatch(/sort/);
  });
});

describe('GET /v1/events/{id}', () => {
  it('returns one event with provenance', async () => {
    const { status, body } = await getJson(t.app, `/v1/events/${CLASH}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: CLASH,
      event_type: 'Battles',
      sub_event_type: 'Armed clash',
      start_date: '2025-11-06',
      end_date: '2025-11-06',
      date_precision: 'day',
      country: 'AFG',
      admin1: 'Kandahar',
      parent_id: CONFLICT,
      version: 1,
    });
    expect(body.date_note).toMatch(/day before/i);
    expect(body).not.toHaveProperty('participants');
  });

  it('embeds participants, casualty reports, statements and children on request', async () => {
    const { body } = await getJson(t.app, `/v1/events/${TALKS}?include=participants,casualty_reports,statements,children,sources`);
    const roles = body.participants.map((p: { actor: { id: string }; role: string }) => `${p.actor.id}:${p.role}`);
    expect(roles).toEqual(
      expect.arrayContaining([
        'act_asim_malik:delegation_lead',
        'act_abdul_haq_wasiq:delegation_lead',
        'act_turkey:mediator',
        'act_qatar:mediator',
      ]),
    );
    expect(body.casualty_reports).toEqual([]);
    expect(body.statements.length).toBeGreaterThan(0);
    expect(body.statements.every((s: { events: { id: string }[] }) => s.events.some((e) => e.id === TALKS))).toBe(true);
    expect(body.children).toEqual([]);

    const conflict = await getJson(t.app, `/v1/events/${CONFLICT}?include=children&fields=title`);
    expect(Object.keys(conflict.body).sort()).toEqual(['children', 'id', 'title']);
    expect(conflict.body.children.map((c: { id: string }) => c.id).sort()).toEqual([CEASEFIRE, KABUL, PREVIOUS_TALKS, TALKS, CLASH].sort());
  });

  it('embeds includes on list pages too', async () => {
    const { body } = await getJson(t.app, `/v1/events?include=participants&event_type=Battles`);
    const clash = body.data.find((e: { id: string }) => e.id === CLASH);
    expect(clash.participants.map((p: { role: string }) => p.role).sort()).toEqual(['side_a', 'side_b']);
  });

  it('answers 404 problem+json for an unknown id', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/events/evt_nope' });
    expectProblem(response, 404);
    expect(response.json()).toMatchObject({ status: 404, detail: expect.stringContaining('evt_nope'), instance: '/v1/events/evt_nope' });
  });
});

describe('GET /v1/events/{id}/casualties', () => {
  it('shows the UN and the Afghan official side by side, contested, never summed', async () => {
    const { status, body } = await getJson(t.app, `/v1/events/${CONFLICT}/casualties`);
    expect(status).toBe(200);
    const civilians = body.groups.find(
      (g: { category: string; side: { country: string } }) => g.category === 'civilians' && g.side.country === 'AFG',
    );
    const byReporter = Object.fromEntries(
      civilians.reports.map((r: { reported_by: { id: string }; killed: unknown; injured: unknown }) => [r.reported_by.id, [r.killed, r.injured]]),
    );
    expect(byReporter).toEqual({
      act_united_nations: [{ min: 50, max: 50 }, { min: 447, max: 447 }],
      act_unnamed_afghan_official: [{ min: 4, max: 4 }, { min: 5, max: 5 }],
    });
    expect(civilians.killed).toEqual({ low: 4, high: 50 });
    expect(civilians.injured).toEqual({ low: 5, high: 447 });
    expect(civilians.contested).toBe(true);
    // A naive sum would be 54 killed and 452 injured: it must appear nowhere.
    // (Numbers only: a timestamp such as 10:54 is not a sum.)
    const numbers: number[] = [];
    JSON.stringify(civilians, (_key, value: unknown) => {
      if (typeof value === 'number') numbers.push(value);
      return value;
    });
    expect(numbers).not.toContain(54);
    expect(numbers).not.toContain(452);
  });

  it('keeps the military toll and the open-ended Kabul figure in their own groups', async () => {
    const { body } = await getJson(t.app, `/v1/events/${CONFLICT}/casualties`);
    const military = body.groups.find((g: { category: string }) => g.category === 'military');
    expect(military).toMatchObject({ killed: { low: 23, high: 23 }, injured: { low: 29, high: 29 }, contested: false });
    expect(military.reporters).toEqual([{ id: 'act_pakistan_armed_forces', name: expect.any(String) }]);
    const kabul = body.groups.find((g: { reports: { event: { id: string } }[] }) => g.reports.some((r) => r.event.id === KABUL));
    expect(kabul.killed).toEqual({ low: 5, high: null });
    expect(kabul.reporters).toEqual([null]);
  });

  it('covers only the event itself when it has no sub-events', async () => {
    const { body } = await getJson(t.app, `/v1/events/${CLASH}/casualties`);
    expect(body.groups).toHaveLength(1);
    expect(body.groups[0]).toMatchObject({ category: 'civilians', contested: false, killed: { low: 4, high: 4 } });
  });

  it('answers 404 for an unknown event', async () => {
    const { status, body } = await getJson(t.app, '/v1/events/evt_nope/casualties');
    expect(status).toBe(404);
    expect(body.status).toBe(404);
  });
});
