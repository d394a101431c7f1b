import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, seededApp, walkPages, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/problems.js';

let t: TestApp;
beforeAll(async () => {
  t = await seededApp();
});
afterAll(() => t.close());

const ids = (body: { data: { id: string }[] }) => body.data.map((e) => e.id).sort();

const SOURCE = 'src_toutiao_7570382530332770879';
const SOURCE_TEXT = readFileSync(new URL('../../seed/data/source-article.txt', import.meta.url), 'utf8');

const CONFLICT = 'evt_afghanistan_pakistan_border_conflict';
const CLASH = 'evt_spinghar_border_clash';
const TALKS = 'evt_istanbul_talks';
const KABUL = 'evt_kabul_explosion';
const DOHA = 'evt_doha_agreement';

const UN = 'act_united_nations';
const AFG_OFFICIAL = 'act_unnamed_afghan_official';
const PAK_FORCES = 'act_pakistan_armed_forces';
const TALIBAN = 'act_taliban_government';

// Afghan official, 2025-11-06 .. 2025-11-06, civilians, AFG, on the clash
const OFFICIAL = 'cas_afghan_official_spinghar_clash_civilians';
// UN, 2025-10-09 .. 2025-11-07, civilians, AFG, on the conflict
const UN_CIVILIANS = 'cas_un_afghan_civilians_since_october_9';
// no reporter, 2025-10-09 .. 2025-11-07, unspecified, AFG, on the Kabul explosion
const KABUL_DEATHS = 'cas_kabul_explosion_deaths';
// Pakistani military, 2025-10-09 .. 2025-11-07, military, PAK / act_pakistan_armed_forces, on the conflict
const SOLDIERS = 'cas_pakistani_military_soldiers';
const ALL = [OFFICIAL, UN_CIVILIANS, KABUL_DEATHS, SOLDIERS].sort();

describe('GET /v1/casualty-reports', () => {
  it('lists every seeded report with its provenance', async () => {
    const { status, body } = await getJson(t.app, '/v1/casualty-reports?limit=1000');
    expect(status).toBe(200);
    expect(ids(body)).toEqual(ALL);
    expect(body.meta).toMatchObject({ limit: 1000, total: 4, next_cursor: null });
    expect(body.links.next).toBeNull();
    for (const report of body.data) {
      expect(report.sources.length).toBeGreaterThan(0);
      for (const ref of report.sources) {
        expect(ref).toMatchObject({ id: SOURCE, title: expect.any(String), excerpt: expect.any(String) });
        expect(SOURCE_TEXT.slice(ref.start_offset, ref.end_offset)).toBe(ref.excerpt);
      }
    }
  });

  it('returns each figure as its reporter gave it', async () => {
    const { body } = await getJson(t.app, '/v1/casualty-reports?limit=1000');
    const byId = Object.fromEntries(body.data.map((r: { id: string }) => [r.id, r]));
    expect(byId[OFFICIAL]).toMatchObject({
      event: { id: CLASH, title: 'Border clash in Spinghar district, Kandahar province' },
      reported_by: { id: AFG_OFFICIAL, name: 'Unnamed Afghan official' },
      statement_id: 'stm_afghan_official_reports_clashes_despite_talks',
      reported_on: '2025-11-07',
      reported_on_precision: 'range',
      period_start: '2025-11-06',
      period_end: '2025-11-06',
      category: 'civilians',
      affected_actor: null,
      affected_country: 'AFG',
      killed: { min: 4, max: 4 },
      injured: { min: 5, max: 5 },
      qualifier: null,
      version: 1,
    });
    expect(byId[UN_CIVILIANS]).toMatchObject({
      event: { id: CONFLICT },
      reported_by: { id: UN, name: 'United Nations' },
      statement_id: 'stm_un_reports_afghan_civilian_toll',
      period_start: '2025-10-09',
      period_end: '2025-11-07',
      killed: { min: 50, max: 50 },
      injured: { min: 447, max: 447 },
    });
    expect(byId[SOLDIERS]).toMatchObject({
      reported_by: { id: PAK_FORCES, name: 'Pakistan Armed Forces' },
      category: 'military',
      affected_actor: { id: PAK_FORCES, name: 'Pakistan Armed Forces' },
      affected_country: 'PAK',
      killed: { min: 23, max: 23 },
      injured: { min: 29, max: 29 },
    });
  });

  it.each([
    // event, with and without sub-events
    [`event=${CONFLICT}`, [UN_CIVILIANS, SOLDIERS]],
    [`event=${CONFLICT}&include_children=true`, ALL],
    [`event=${CONFLICT}&include_children=false`, [UN_CIVILIANS, SOLDIERS]],
    [`event=${CLASH}`, [OFFICIAL]],
    [`event=${CLASH}&include_children=true`, [OFFICIAL]],
    [`event=${CLASH},${KABUL}`, [OFFICIAL, KABUL_DEATHS]],
    [`event=${TALKS}`, []],
    [`event=${DOHA}&include_children=true`, []],
    // reported_by
    [`reported_by=${UN}`, [UN_CIVILIANS]],
    [`reported_by=${UN},${AFG_OFFICIAL}`, [UN_CIVILIANS, OFFICIAL]],
    [`reported_by=${PAK_FORCES}`, [SOLDIERS]],
    [`reported_by=${TALIBAN}`, []],
    // category
    ['category=civilians', [OFFICIAL, UN_CIVILIANS]],
    ['category=military,unspecified', [SOLDIERS, KABUL_DEATHS]],
    ['category=combatants', []],
    // side: ISO3 country form and actor id form
    ['side=AFG', [OFFICIAL, UN_CIVILIANS, KABUL_DEATHS]],
    ['side=PAK', [SOLDIERS]],
    ['side=AFG,PAK', ALL],
    [`side=${PAK_FORCES}`, [SOLDIERS]],
    [`side=${TALIBAN}`, []],
    [`side=${PAK_FORCES},AFG`, ALL],
    ['side=QAT', []],
    // from / to: reports whose covered period overlaps
    ['from=2025-11-07', [UN_CIVILIANS, KABUL_DEATHS, SOLDIERS]],
    ['to=2025-11-05', [UN_CIVILIANS, KABUL_DEATHS, SOLDIERS]],
    ['from=2025-11-06&to=2025-11-06', ALL],
    ['from=2025-10-01&to=2025-10-09', [UN_CIVILIANS, KABUL_DEATHS, SOLDIERS]],
    ['to=2025-10-08', []],
    ['from=2025-11-08', []],
    // updated_since
    ['updated_since=2000-01-01T00:00:00Z', ALL],
    ['updated_since=2999-01-01T00:00:00Z', []],
    // combinations
    [`event=${CONFLICT}&include_children=true&category=civilians`, [OFFICIAL, UN_CIVILIANS]],
    ['category=civilians&side=AFG', [OFFICIAL, UN_CIVILIANS]],
    ['category=civilians&from=2025-11-07', [UN_CIVILIANS]],
    [`event=${CONFLICT}&include_children=true&side=AFG&to=2025-11-05`, [UN_CIVILIANS, KABUL_DEATHS]],
    [`reported_by=${UN},${PAK_FORCES}&side=PAK`, [SOLDIERS]],
  ])('filters by %s', async (query, expected) => {
    const { status, body } = await getJson(t.app, `/v1/casualty-reports?limit=1000&${query}`);
    expect(status).toBe(200);
    expect(ids(body)).toEqual([...expected].sort());
    expect(body.meta.total).toBe(expected.length);
  });

  it('sorts by period start, newest first by default, ties broken by id', async () => {
    const { body } = await getJson(t.app, '/v1/casualty-reports');
    expect(body.data.map((r: { id: string }) => r.id)).toEqual([OFFICIAL, KABUL_DEATHS, SOLDIERS, UN_CIVILIANS]);
  });

  it.each([
    ['-period_start', 2],
    ['period_start', 1],
    ['period_end', 2],
    ['-category,period_start', 1],
    ['created_at', 2],
    ['-updated_at', 1],
  ])('walks every record exactly once sorted by %s in pages of %i', async (sort, limit) => {
    const full = await getJson(t.app, `/v1/casualty-reports?limit=1000&sort=${sort}`);
    const walked = await walkPages(t.app, `/v1/casualty-reports?limit=${limit}&sort=${sort}`);
    expect(walked.pages).toBe(Math.ceil(4 / limit));
    expect(walked.total).toBe(4);
    expect(walked.records.map((r) => r.id)).toEqual(full.body.data.map((r: { id: string }) => r.id));
    expect(new Set(walked.records.map((r) => r.id)).size).toBe(4);
  });

  it('walks a filtered list with sub-events in pages too', async () => {
    const walked = await walkPages(t.app, `/v1/casualty-reports?limit=2&event=${CONFLICT}&include_children=true&sort=category`);
    expect(walked.total).toBe(4);
    expect(walked.pages).toBe(2);
    expect(walked.records.map((r) => r.id).sort()).toEqual(ALL);
    expect(walked.records.map((r) => r.category)).toEqual(['civilians', 'civilians', 'military', 'unspecified']);
  });

  it('returns only the requested fields, and id', async () => {
    const { body } = await getJson(t.app, '/v1/casualty-reports?fields=killed,reported_by&limit=1000');
    expect(body.data).toHaveLength(4);
    for (const report of body.data) expect(Object.keys(report).sort()).toEqual(['id', 'killed', 'reported_by']);
    const detail = await getJson(t.app, `/v1/casualty-reports/${KABUL_DEATHS}?fields=killed,injured,qualifier`);
    expect(detail.body).toEqual({ id: KABUL_DEATHS, killed: { min: 5, max: null }, injured: null, qualifier: 'At least' });
  });

  it.each([
    ['category=wounded', 'query.category.0'],
    ['category=civilians,wounded', 'query.category.1'],
    ['include_children=yes', 'query.include_children'],
    ['from=2025-11-07&to=2025-10-01', 'query.to'],
    ['from=2025-11-31', 'query.from'],
    ['to=last-week', 'query.to'],
    ['side=', 'query.side'],
    ['limit=abc', 'query.limit'],
    ['sort=killed', 'query.sort.0'],
    ['fields=killed,deaths', 'query.fields.1'],
    ['reporter=act_united_nations', 'query.reporter'],
    ['updated_since=2025-11-07T25:00:00Z', 'query.updated_since'],
  ])('rejects %s with a problem naming %s', async (query, path) => {
    const response = await t.app.inject({ method: 'GET', url: `/v1/casualty-reports?${query}` });
    const problem = expectProblem(response, 400, path);
    expect(problem).toMatchObject({ status: 400, title: expect.any(String), instance: `/v1/casualty-reports?${query}` });
  });
});

describe('GET /v1/casualty-reports/{id}', () => {
  it('returns the unattributed, open-ended Kabul figure as given', async () => {
    const { status, body } = await getJson(t.app, `/v1/casualty-reports/${KABUL_DEATHS}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: KABUL_DEATHS,
      event: { id: KABUL, title: 'Explosion in Kabul' },
      reported_by: null,
      statement_id: null,
      reported_on: null,
      reported_on_precision: null,
      period_start: '2025-10-09',
      period_end: '2025-11-07',
      category: 'unspecified',
      affected_actor: null,
      affected_country: 'AFG',
      killed: { min: 5, max: null },
      injured: null,
      qualifier: 'At least',
      version: 1,
    });
    expect(body.sources).toEqual([
      expect.objectContaining({ id: SOURCE, excerpt: 'At least five people died in an explosion in Kabul' }),
    ]);
  });

  it('rejects an unknown parameter on the detail route', async () => {
    const response = await t.app.inject({ method: 'GET', url: `/v1/casualty-reports/${SOLDIERS}?include=event` });
    expectProblem(response, 400);
    expect(response.json().errors.map((e: { path: string }) => e.path)).toContain('query.include');
  });

  it('answers 404 problem+json for an unknown id', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/casualty-reports/cas_nope' });
    expectProblem(response, 404);
    expect(response.json()).toMatchObject({
      status: 404,
      detail: expect.stringContaining('cas_nope'),
      instance: '/v1/casualty-reports/cas_nope',
    });
  });
});

// Runs last: it adds a report to this file's database.
describe('GET /v1/casualty-reports?updated_since after a write', () => {
  it('lists only the reports changed since the given time', async () => {
    const { body: before } = await getJson(t.app, '/v1/casualty-reports?limit=1000');
    const latest = before.data.map((r: { updated_at: string }) => r.updated_at).sort().at(-1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const since = new Date().toISOString();
    expect(since > latest).toBe(true);
    await t.services.casualtyReports.create({
      id: 'cas_inserted_after_seed',
      event_id: CLASH,
      reported_by_id: TALIBAN,
      period_start: '2025-11-06',
      period_end: '2025-11-06',
      category: 'combatants',
      affected_actor_id: 'act_afghan_armed_forces',
      killed: { min: 1, max: 3 },
      sources: [{ id: SOURCE, excerpt: 'Tensions' }],
    }, { actor: 'test' });
    const { body } = await getJson(t.app, `/v1/casualty-reports?updated_since=${since}`);
    expect(ids(body)).toEqual(['cas_inserted_after_seed']);
    expect(body.meta.total).toBe(1);
    const underConflict = await getJson(t.app, `/v1/casualty-reports?event=${CONFLICT}&include_children=true&side=act_afghan_armed_forces`);
    expect(ids(underConflict.body)).toEqual(['cas_inserted_after_seed']);
  });
});
