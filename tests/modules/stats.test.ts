import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CASUALTY_STATS_EXAMPLE,
  CASUALTY_STATS_QUERY,
  EVENT_STATS_EXAMPLE,
  EVENT_STATS_QUERY,
} from '../../src/modules/stats/stats.examples.js';
import type { CreateCasualtyReportInput } from '../../src/modules/casualty-reports/casualty-reports.schemas.js';
import type { CreateEventInput } from '../../src/modules/events/events.schemas.js';
import { getJson, seededApp, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/problems.js';

// Statistics over the seed plus a small Sudanese set added here through the services:
// events around the turn of 2025/2026 (an ISO week that straddles the new year) and
// overlapping casualty reports by the UN and Qatar, so every never-sum rule is exercised.

const SOURCE = 'src_toutiao_7570382530332770879';
const sources = [{ id: SOURCE, excerpt: 'Tensions' }];
const CONFLICT = 'evt_afghanistan_pakistan_border_conflict';
const UN = 'act_united_nations';
const QATAR = 'act_qatar';
const TURKEY = 'act_turkey';
const WAR = 'evt_stats_sudan_war';
const [E1, E2, E3, E4] = ['evt_stats_e1', 'evt_stats_e2', 'evt_stats_e3', 'evt_stats_e4'];
const OURS = 'country=SDN,SSD';

let t: TestApp;

type NewEvent = Omit<CreateEventInput, 'id' | 'title' | 'sources' | 'date_precision'> & Partial<Pick<CreateEventInput, 'date_precision'>>;
async function event(id: string, fields: NewEvent) {
  await t.services.events.create({ id, title: id, date_precision: 'day', sources, ...fields }, { actor: 'test' });
}

let reportCount = 0;
type Killed = CreateCasualtyReportInput['killed'];
async function report(eventId: string, reporter: string, category: CreateCasualtyReportInput['category'], killed: Killed, extra: Partial<CreateCasualtyReportInput> = {}) {
  reportCount += 1;
  const day = extra.period_start ?? '2025-12-29';
  await t.services.casualtyReports.create(
    {
      id: `cas_stats_${reportCount}`,
      event_id: eventId,
      reported_by_id: reporter,
      period_start: day,
      period_end: day,
      category,
      affected_country: 'SDN',
      killed,
      sources,
      ...extra,
    },
    { actor: 'test' },
  );
}

beforeAll(async () => {
  t = await seededApp();
  await event(WAR, { event_type: 'Strategic developments', start_date: '2025-12-01', end_date: '2026-01-31', date_precision: 'range', country: 'SDN' });
  // 2025-12-29 is a Monday; 2026-01-01 (Thursday) and 2026-01-04 (Sunday) are in its ISO week.
  await event(E1, {
    event_type: 'Battles', start_date: '2025-12-29', end_date: '2025-12-29', country: 'SDN', parent_id: WAR,
    participants: [{ actor_id: QATAR, role: 'mediator' }],
  });
  await event(E2, {
    event_type: 'Battles', start_date: '2026-01-01', end_date: '2026-01-01', country: 'SDN', parent_id: WAR,
    participants: [{ actor_id: QATAR, role: 'mediator' }, { actor_id: TURKEY, role: 'host' }],
  });
  await event(E3, { event_type: 'Protests', start_date: '2026-01-04', end_date: '2026-01-04', country: 'SDN', parent_id: WAR });
  await event(E4, { event_type: 'Riots', start_date: '2026-01-05', end_date: '2026-01-05', country: 'SSD' });

  // Civilians on the Sudanese side. E1: the UN and Qatar disagree (10 vs 14).
  await report(E1, UN, 'civilians', { min: 10, max: 10 });
  await report(E1, QATAR, 'civilians', { min: 14, max: 14 }, { injured: { min: 7, max: null } });
  // E2: they agree on 3.
  await report(E2, UN, 'civilians', { min: 3, max: 3 }, { period_start: '2026-01-01' });
  await report(E2, QATAR, 'civilians', { min: 3, max: 3 }, { period_start: '2026-01-01' });
  // E3: the UN reports twice on the same event (2, then 5): one scope, its range 2-5, never 7.
  await report(E3, UN, 'civilians', { min: 2, max: 2 }, { period_start: '2026-01-04' });
  await report(E3, UN, 'civilians', { min: 5, max: 5 }, { period_start: '2026-01-04' });
  // Military: the UN's toll for the whole war covers its own toll for the clash E1.
  await report(WAR, UN, 'military', { min: 20, max: 20 });
  await report(E1, UN, 'military', { min: 5, max: 5 });
});
afterAll(() => t.close());

function stats(path: string) {
  return getJson(t.app, `/v1/stats/${path}`);
}

type Row = { bucket: string; key: string | null; label: string | null; count: number };
const pairs = (data: Row[]) => data.map((row) => [row.bucket, row.count]);

describe('GET /v1/stats/events', () => {
  it.each([
    ['day', [['2025-12-01', 1], ['2025-12-29', 1], ['2026-01-01', 1], ['2026-01-04', 1], ['2026-01-05', 1]]],
    // The ISO week of 2025-12-29 holds the first days of 2026: keyed by its Monday.
    ['week', [['2025-12-01', 1], ['2025-12-29', 3], ['2026-01-05', 1]]],
    ['month', [['2025-12', 2], ['2026-01', 3]]],
    ['year', [['2025', 2], ['2026', 3]]],
  ])('buckets start dates by %s, leaving empty buckets out', async (interval, expected) => {
    const { status, body } = await stats(`events?interval=${interval}&${OURS}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ interval, group_by: null, total: 5 });
    expect(pairs(body.data)).toEqual(expected);
    expect(body.data.every((row: Row) => row.key === null)).toBe(true);
  });

  it('buckets by month when no interval is given', async () => {
    const { body } = await stats(`events?${OURS}`);
    expect(body.interval).toBe('month');
    expect(pairs(body.data)).toEqual([['2025-12', 2], ['2026-01', 3]]);
  });

  it('splits buckets by event type', async () => {
    const { body } = await stats(`events?interval=year&group_by=event_type&${OURS}`);
    expect(body.data.map((r: Row) => [r.bucket, r.key, r.count])).toEqual([
      ['2025', 'Battles', 1],
      ['2025', 'Strategic developments', 1],
      ['2026', 'Battles', 1],
      ['2026', 'Protests', 1],
      ['2026', 'Riots', 1],
    ]);
  });

  it('splits buckets by country', async () => {
    const { body } = await stats(`events?interval=year&group_by=country&${OURS}`);
    expect(body.data.map((r: Row) => [r.bucket, r.key, r.count])).toEqual([
      ['2025', 'SDN', 2],
      ['2026', 'SDN', 2],
      ['2026', 'SSD', 1],
    ]);
  });

  it('splits buckets by actor, an event counting once for each actor in it', async () => {
    const { body } = await stats(`events?interval=week&group_by=actor&${OURS}`);
    expect(body.data.map((r: Row) => [r.bucket, r.key, r.label, r.count])).toEqual([
      ['2025-12-01', null, null, 1],
      ['2025-12-29', QATAR, 'Qatar', 2],
      ['2025-12-29', TURKEY, 'Turkey', 1],
      ['2025-12-29', null, null, 1],
      ['2026-01-05', null, null, 1],
    ]);
    expect(body.total).toBe(5);
  });

  it.each([
    [`event_type=Battles&${OURS}`, [['2025-12', 1], ['2026-01', 1]], 2],
    ['country=SSD', [['2026-01', 1]], 1],
    [`actor=${TURKEY}&country=SDN`, [['2026-01', 1]], 1],
    ['from=2026-01-02&to=2026-01-04&country=SDN', [['2025-12', 1], ['2026-01', 1]], 2],
    [`parent=${WAR}`, [['2025-12', 1], ['2026-01', 2]], 3],
  ])('narrows the counts with the event filters: %s', async (filter, expected, total) => {
    const { body } = await stats(`events?${filter}`);
    expect(pairs(body.data)).toEqual(expected);
    expect(body.total).toBe(total);
  });

  it('counts the seed as the events list does', async () => {
    const { body } = await stats('events?interval=year');
    const { body: list } = await getJson(t.app, '/v1/events?limit=1000&fields=start_date');
    const perYear: Record<string, number> = {};
    for (const e of list.data as { start_date: string }[]) perYear[e.start_date.slice(0, 4)] = (perYear[e.start_date.slice(0, 4)] ?? 0) + 1;
    expect(Object.fromEntries(pairs(body.data))).toEqual(perYear);
    expect(body.total).toBe(list.meta.total);
  });

  it('shows the seed as in its OpenAPI example', async () => {
    const { body } = await stats(`events?${EVENT_STATS_QUERY}`);
    expect(body).toEqual(EVENT_STATS_EXAMPLE);
  });

  it.each([
    ['interval=hour', 'query.interval'],
    ['group_by=weekday', 'query.group_by'],
    ['group_by=reported_by', 'query.group_by'],
    ['country=Sudan', 'query.country.0'],
    ['limit=5', 'query.limit'],
    ['from=2026-01-02&to=2026-01-01', 'query.to'],
  ])('rejects %s with a problem naming %s', async (query, path) => {
    expectProblem(await t.app.inject({ method: 'GET', url: `/v1/stats/events?${query}` }), 400, path);
  });
});

type Figure = { min: number | null; max: number | null } | null;
interface Group {
  key: string | null;
  label: string | null;
  category: string;
  side: { country: string | null; actor: unknown };
  killed: { low: number | null; high: number | null } | null;
  injured: { low: number | null; high: number | null } | null;
  contested: boolean;
  reporters: ({ id: string } | null)[];
  figures: { reported_by: { id: string; name: string } | null; killed: Figure; injured: Figure; reports: number }[];
}

async function groups(query: string): Promise<Group[]> {
  const { status, body } = await stats(`casualties?${query}`);
  expect(status, JSON.stringify(body)).toBe(200);
  return body.groups;
}

function find(list: Group[], key: string | null, category: string): Group {
  const group = list.find((g) => g.key === key && g.category === category);
  if (!group) throw new Error(`no group ${key}/${category} in ${JSON.stringify(list)}`);
  return group;
}

const byReporter = (group: Group) => Object.fromEntries(group.figures.map((f) => [f.reported_by?.id ?? 'unattributed', [f.killed, f.reports]]));

describe('GET /v1/stats/casualties: never summed across reporters', () => {
  it('shows two reporters on the same event side by side: the range spans them, it is not their sum', async () => {
    const civilians = find(await groups(`group_by=event&${OURS}`), E1, 'civilians');
    expect(civilians).toMatchObject({ label: E1, side: { country: 'SDN', actor: null } });
    expect(byReporter(civilians)).toEqual({ [UN]: [{ min: 10, max: 10 }, 1], [QATAR]: [{ min: 14, max: 14 }, 1] });
    expect(civilians.killed).toEqual({ low: 10, high: 14 });
    expect(civilians.contested).toBe(true);
    // Qatar's "at least 7" injured leaves the range open above.
    expect(civilians.injured).toEqual({ low: 7, high: null });
    expect(civilians.reporters.map((r) => r?.id)).toEqual([QATAR, UN]);
    expect(JSON.stringify(civilians)).not.toMatch(/\b24\b/);
  });

  it('is not contested when the reporters agree', async () => {
    const civilians = find(await groups(`group_by=event&${OURS}`), E2, 'civilians');
    expect(civilians).toMatchObject({ killed: { low: 3, high: 3 }, injured: null, contested: false });
    expect(civilians.figures).toHaveLength(2);
  });

  it("adds a reporter's figures on distinct events, collapses its reports on one event, and compares reporters", async () => {
    const civilians = find(await groups(`group_by=country&${OURS}`), 'SDN', 'civilians');
    // UN: 10 (E1) + 3 (E2) + 2..5 (E3, two reports on one event) = 15..18; Qatar: 14 + 3 = 17.
    expect(byReporter(civilians)).toEqual({ [UN]: [{ min: 15, max: 18 }, 4], [QATAR]: [{ min: 17, max: 17 }, 2] });
    expect(civilians.killed).toEqual({ low: 15, high: 18 });
    expect(civilians.contested).toBe(true);
    // Summing across reporters (32 to 35), or the UN's two E3 reports (7 for E3, 20 for the UN), would be bugs.
    expect(JSON.stringify(civilians)).not.toMatch(/\b(32|35|20)\b/);
  });

  it("counts a reporter's toll for a whole war once, not again for the clashes inside it", async () => {
    const military = find(await groups(`group_by=country&${OURS}`), 'SDN', 'military');
    expect(byReporter(military)).toEqual({ [UN]: [{ min: 20, max: 20 }, 2] });
    expect(military.contested).toBe(false);
    // Grouped by event, each figure stands in its own group.
    const perEvent = await groups(`group_by=event&category=military&${OURS}`);
    expect(perEvent.map((g) => [g.key, g.killed])).toEqual([
      [E1, { low: 5, high: 5 }],
      [WAR, { low: 20, high: 20 }],
    ]);
  });

  it('groups by reporter by default, one reporter per group, never contested', async () => {
    const { body } = await stats(`casualties?${OURS}`);
    expect(body.group_by).toBe('reported_by');
    const list: Group[] = body.groups;
    expect(list.map((g) => [g.key, g.label, g.category])).toEqual([
      [QATAR, 'Qatar', 'civilians'],
      [UN, 'United Nations', 'civilians'],
      [UN, 'United Nations', 'military'],
    ]);
    expect(list.every((g) => !g.contested && g.figures.length === 1)).toBe(true);
    expect(find(list, UN, 'civilians').killed).toEqual({ low: 15, high: 18 });
  });

  it('groups by category and by month of the period covered', async () => {
    const byCategory = await groups(`group_by=category&${OURS}`);
    expect(byCategory.map((g) => g.key)).toEqual(['civilians', 'military']);
    const byMonth = await groups(`group_by=month&${OURS}`);
    expect(byMonth.map((g) => [g.key, g.category, byReporter(g)])).toEqual([
      ['2025-12', 'civilians', { [UN]: [{ min: 10, max: 10 }, 1], [QATAR]: [{ min: 14, max: 14 }, 1] }],
      ['2025-12', 'military', { [UN]: [{ min: 20, max: 20 }, 2] }],
      ['2026-01', 'civilians', { [UN]: [{ min: 5, max: 8 }, 3], [QATAR]: [{ min: 3, max: 3 }, 1] }],
    ]);
  });

  it.each([
    [`reported_by=${QATAR}`, { [QATAR]: [{ min: 17, max: 17 }, 2] }],
    ['category=civilians&event_type=Battles', { [UN]: [{ min: 13, max: 13 }, 2], [QATAR]: [{ min: 17, max: 17 }, 2] }],
    ['from=2026-01-02', { [UN]: [{ min: 2, max: 5 }, 2] }],
  ])('narrows the reports with the filters: %s', async (filter, expected) => {
    const civilians = find(await groups(`group_by=country&${OURS}&${filter}`), 'SDN', 'civilians');
    expect(byReporter(civilians)).toEqual(expected);
  });

  it("puts a toll for an event spanning countries under the affected side's country", async () => {
    // The UN's toll is on the conflict (no country), the Afghan official's on a clash in AFG.
    const civilians = find(await groups('group_by=country&to=2025-11-30'), 'AFG', 'civilians');
    expect(civilians.reporters.map((r) => r?.id)).toEqual([UN, 'act_unnamed_afghan_official']);
    expect(civilians).toMatchObject({ killed: { low: 4, high: 50 }, injured: { low: 5, high: 447 }, contested: true });
    expect(JSON.stringify(civilians)).not.toMatch(/\b(54|452)\b/);
  });

  it('finds nothing where no report matches', async () => {
    expect(await groups('group_by=country&country=SSD')).toEqual([]);
  });

  it('agrees with GET /v1/events/{id}/casualties on the seed', async () => {
    const { body: perEvent } = await getJson(t.app, `/v1/events/${CONFLICT}/casualties`);
    // The seed's reports all lie in the conflict; its events start before 2025-12.
    const list = await groups('group_by=category&to=2025-11-30');
    const shape = (g: Omit<Group, 'key' | 'label' | 'figures'>) => ({
      category: g.category,
      side: g.side,
      killed: g.killed,
      injured: g.injured,
      contested: g.contested,
      reporters: [...g.reporters].sort((a, b) => (a?.id ?? '~').localeCompare(b?.id ?? '~')),
    });
    const order = (a: { category: string; side: { country: string | null } }, b: typeof a) =>
      `${a.category}/${a.side.country}`.localeCompare(`${b.category}/${b.side.country}`);
    expect(list.map(shape).sort(order)).toEqual(perEvent.groups.map(shape).sort(order));
    expect(list.length).toBeGreaterThanOrEqual(3);
  });

  it('shows the seed as in its OpenAPI example', async () => {
    const { body } = await stats(`casualties?${CASUALTY_STATS_QUERY}`);
    expect(body).toEqual(CASUALTY_STATS_EXAMPLE);
  });

  it.each([
    ['group_by=side', 'query.group_by'],
    ['group_by=actor', 'query.group_by'],
    ['category=children', 'query.category.0'],
    ['interval=month', 'query.interval'],
  ])('rejects %s with a problem naming %s', async (query, path) => {
    expectProblem(await t.app.inject({ method: 'GET', url: `/v1/stats/casualties?${query}` }), 400, path);
  });
});
