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
const idsOf = (records: { id: string }[]) => records.map((r) => r.id).sort();

const SOURCE = 'src_toutiao_7570382530332770879';
const SOURCE_TEXT = readFileSync(new URL('../../seed/data/source-article.txt', import.meta.url), 'utf8');

// Pakistan
const PAK_GOV = 'act_pakistan_government';
const PAK_FORCES = 'act_pakistan_armed_forces';
const PAK_INFO = 'act_pakistan_ministry_of_information';
const TARAR = 'act_attaullah_tarar';
const PAK_MOFA = 'act_pakistan_ministry_of_foreign_affairs';
const ANDRABI = 'act_tahira_andrabi';
const MALIK = 'act_asim_malik';
// Afghanistan
const TALIBAN = 'act_taliban_government';
const AFG_FORCES = 'act_afghan_armed_forces';
const AFG_INTEL = 'act_afghan_intelligence_directorate';
const WASIQ = 'act_abdul_haq_wasiq';
const MUJAHID = 'act_mujahid';
const SPINGHAR_DEPT = 'act_spinghar_information_culture_department';
const HAKIM = 'act_ali_mohammad_hakim';
const AFG_OFFICIAL = 'act_unnamed_afghan_official';
// others
const TTP = 'act_ttp';
const QATAR = 'act_qatar';
const TURKEY = 'act_turkey';
const UN = 'act_united_nations';
const REUTERS = 'act_reuters';

const PAKISTANI = [PAK_GOV, PAK_FORCES, PAK_INFO, TARAR, PAK_MOFA, ANDRABI, MALIK, TTP];
const AFGHAN = [TALIBAN, AFG_FORCES, AFG_INTEL, WASIQ, MUJAHID, SPINGHAR_DEPT, HAKIM, AFG_OFFICIAL];
const ALL = [...PAKISTANI, ...AFGHAN, QATAR, TURKEY, UN, REUTERS].sort();
const PEOPLE = [TARAR, ANDRABI, MALIK, WASIQ, MUJAHID, HAKIM, AFG_OFFICIAL];

describe('GET /v1/actors', () => {
  it('lists every seeded actor with its provenance', async () => {
    const { status, body } = await getJson(t.app, '/v1/actors?limit=1000');
    expect(status).toBe(200);
    expect(ALL).toHaveLength(20);
    expect(ids(body)).toEqual(ALL);
    expect(body.meta).toMatchObject({ limit: 1000, total: 20, next_cursor: null });
    expect(body.links.next).toBeNull();
    for (const actor of body.data) {
      expect(actor.sources.length).toBeGreaterThan(0);
      for (const ref of actor.sources) {
        expect(ref).toMatchObject({ id: SOURCE, title: expect.any(String), excerpt: expect.any(String) });
        // Every excerpt is the verbatim passage at its offsets in the stored text.
        expect(SOURCE_TEXT.slice(ref.start_offset, ref.end_offset)).toBe(ref.excerpt);
      }
    }
  });

  it('returns the seeded values of an actor in the list', async () => {
    const { body } = await getJson(t.app, '/v1/actors?limit=1000');
    const pakistan = body.data.find((a: { id: string }) => a.id === PAK_GOV);
    expect(pakistan).toMatchObject({
      name: 'Government of Pakistan',
      kind: 'government',
      country: 'PAK',
      parent_id: null,
      title: null,
      version: 1,
    });
    expect([...pakistan.aliases].sort()).toEqual(['Islamabad', 'Pakistan']);
    expect(pakistan.sources.map((s: { excerpt: string }) => s.excerpt).sort()).toEqual(
      ['Islamabad accuses Kabul of harboring armed groups', 'Pakistan said that talks in Istanbul between Pakistan and Afghanistan have stalled'].sort(),
    );
    const un = body.data.find((a: { id: string }) => a.id === UN);
    expect(un).toMatchObject({ name: 'United Nations', kind: 'intergovernmental_org', country: null, parent_id: null, aliases: [] });
  });

  it.each([
    // q: name or alias, case-insensitive
    ['q=Islamabad', [PAK_GOV]],
    ['q=islamabad', [PAK_GOV]],
    ['q=KABUL', [TALIBAN]],
    ['q=tarar', [TARAR]],
    ['q=Pakistani%20military', [PAK_FORCES]],
    ['q=pakistan', [PAK_GOV, PAK_FORCES, PAK_INFO, PAK_MOFA, TTP]],
    ['q=Taliban', [TALIBAN, TTP]],
    ['q=afghan', [TALIBAN, AFG_FORCES, AFG_INTEL, AFG_OFFICIAL]],
    ['q=ministry', [PAK_INFO, PAK_MOFA]],
    ['q=no%20such%20actor', []],
    // words are prefixes, accents and case ignored
    ['q=islam', [PAK_GOV]],
    ['q=t%C3%A0lib%C3%A0n', [TALIBAN, TTP]],
    // kind
    ['kind=government', [PAK_GOV, TALIBAN]],
    ['kind=person', PEOPLE],
    ['kind=state,intergovernmental_org,media', [QATAR, TURKEY, UN, REUTERS]],
    ['kind=armed_forces&kind=armed_group', [PAK_FORCES, AFG_FORCES, TTP]],
    ['kind=other', []],
    // country
    ['country=PAK', PAKISTANI],
    ['country=AFG', AFGHAN],
    ['country=QAT,TUR', [QATAR, TURKEY]],
    ['country=USA', []],
    // parent: direct children only
    [`parent=${PAK_GOV}`, [PAK_FORCES, PAK_INFO, PAK_MOFA, MALIK]],
    [`parent=${TALIBAN}`, [AFG_FORCES, AFG_INTEL, MUJAHID, SPINGHAR_DEPT]],
    [`parent=${PAK_INFO},${PAK_MOFA}`, [TARAR, ANDRABI]],
    [`parent=${AFG_INTEL}`, [WASIQ]],
    [`parent=${REUTERS}`, []],
    // updated_since
    ['updated_since=2000-01-01T00:00:00Z', ALL],
    ['updated_since=2000-01-01T05:00:00%2B05:00', ALL],
    ['updated_since=2999-01-01T00:00:00Z', []],
    // combinations
    ['kind=person&country=AFG', [WASIQ, MUJAHID, HAKIM, AFG_OFFICIAL]],
    [`q=pakistan&parent=${PAK_GOV}`, [PAK_FORCES, PAK_INFO, PAK_MOFA]],
    ['q=afghan&kind=person,government', [TALIBAN, AFG_OFFICIAL]],
    [`country=PAK&kind=person&parent=${PAK_GOV}`, [MALIK]],
  ])('filters by %s', async (query, expected) => {
    const { status, body } = await getJson(t.app, `/v1/actors?limit=1000&${query}`);
    expect(status).toBe(200);
    expect(ids(body)).toEqual([...expected].sort());
    expect(body.meta.total).toBe(expected.length);
  });

  it('sorts by name by default, ties broken by id', async () => {
    const { body } = await getJson(t.app, '/v1/actors?limit=1000');
    expect(body.data).toHaveLength(20);
    expect(body.data[0]).toMatchObject({ id: WASIQ, name: 'Abdul Haq Wasiq' });
    expect(body.data.at(-1)).toMatchObject({ id: AFG_OFFICIAL, name: 'Unnamed Afghan official' });
    const { body: reversed } = await getJson(t.app, '/v1/actors?limit=1000&sort=-name');
    expect(reversed.data.map((a: { id: string }) => a.id)).toEqual(body.data.map((a: { id: string }) => a.id).reverse());
  });

  it('sorts by id in either direction', async () => {
    const up = await getJson(t.app, '/v1/actors?limit=1000&sort=id');
    expect(up.body.data.map((a: { id: string }) => a.id)).toEqual(ALL);
    const down = await getJson(t.app, '/v1/actors?limit=1000&sort=-id');
    expect(down.body.data.map((a: { id: string }) => a.id)).toEqual([...ALL].reverse());
  });

  it.each([
    ['name', 2],
    ['-name', 3],
    ['kind', 2],
    ['-kind,name', 3],
    ['created_at', 2],
    ['-updated_at', 3],
    ['-id', 2],
  ])('walks every record exactly once sorted by %s in pages of %i', async (sort, limit) => {
    const full = await getJson(t.app, `/v1/actors?limit=1000&sort=${sort}`);
    const walked = await walkPages(t.app, `/v1/actors?limit=${limit}&sort=${sort}`);
    expect(walked.pages).toBe(Math.ceil(20 / limit));
    expect(walked.total).toBe(20);
    expect(walked.records.map((a) => a.id)).toEqual(full.body.data.map((a: { id: string }) => a.id));
    expect(new Set(walked.records.map((a) => a.id)).size).toBe(20);
  });

  it('walks a filtered list in pages too', async () => {
    const walked = await walkPages(t.app, '/v1/actors?limit=2&country=AFG&sort=kind');
    expect(walked.total).toBe(8);
    expect(walked.pages).toBe(4);
    expect(idsOf(walked.records)).toEqual([...AFGHAN].sort());
  });

  it('returns only the requested fields, and id', async () => {
    const { body } = await getJson(t.app, '/v1/actors?fields=name,kind&limit=1000');
    expect(body.data).toHaveLength(20);
    for (const actor of body.data) expect(Object.keys(actor).sort()).toEqual(['id', 'kind', 'name']);
    const sources = await getJson(t.app, `/v1/actors?fields=sources&q=Islamabad`);
    expect(sources.body.data).toHaveLength(1);
    expect(Object.keys(sources.body.data[0]).sort()).toEqual(['id', 'sources']);
  });

  it('embeds includes on list pages too', async () => {
    const { status, body } = await getJson(t.app, '/v1/actors?kind=government&include=children');
    expect(status).toBe(200);
    const childrenOf = Object.fromEntries(
      body.data.map((a: { id: string; children: { id: string }[] }) => [a.id, idsOf(a.children)]),
    );
    expect(childrenOf).toEqual({
      [PAK_GOV]: [PAK_FORCES, PAK_INFO, PAK_MOFA, MALIK].sort(),
      [TALIBAN]: [AFG_FORCES, AFG_INTEL, MUJAHID, SPINGHAR_DEPT].sort(),
    });
  });

  it.each([
    ['kind=warlord', 'query.kind.0'],
    ['kind=person,warlord', 'query.kind.1'],
    ['country=Pakistan', 'query.country.0'],
    ['country=PAK,pak', 'query.country.1'],
    ['q=', 'query.q'],
    // a query with no word in it (wildcards are not words)
    ['q=%25', 'query.q'],
    ['q=_', 'query.q'],
    ['parent=', 'query.parent'],
    ['limit=0', 'query.limit'],
    ['limit=1001', 'query.limit'],
    ['sort=age', 'query.sort.0'],
    ['fields=name,nonsense', 'query.fields.1'],
    ['include=friends', 'query.include.0'],
    ['updated_since=2025-11-07', 'query.updated_since'],
    ['cursor=not-a-cursor', 'query.cursor'],
    ['nmae=Tarar', 'query.nmae'],
  ])('rejects %s with a problem naming %s', async (query, path) => {
    const response = await t.app.inject({ method: 'GET', url: `/v1/actors?${query}` });
    const problem = expectProblem(response, 400, path);
    expect(problem).toMatchObject({ status: 400, title: expect.any(String), instance: `/v1/actors?${query}` });
  });

  it('refuses a cursor from another sort order', async () => {
    const { body } = await getJson(t.app, '/v1/actors?limit=2&sort=name');
    const { status, body: problem } = await getJson(t.app, `/v1/actors?limit=2&sort=kind&cursor=${body.meta.next_cursor}`);
    expect(status).toBe(400);
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain('query.cursor');
  });
});

describe('GET /v1/actors/{id}', () => {
  it('returns one actor with provenance and no embedded records', async () => {
    const { status, body } = await getJson(t.app, `/v1/actors/${TARAR}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: TARAR,
      name: 'Attaullah Tarar',
      kind: 'person',
      country: 'PAK',
      parent_id: PAK_INFO,
      title: 'Minister of Information',
      aliases: ['Tarar'],
      notes: null,
      version: 1,
    });
    expect(body.sources).toEqual([expect.objectContaining({ id: SOURCE, excerpt: 'Minister of Information Attaullah Tarar' })]);
    for (const key of ['events', 'statements_made', 'statements_targeting', 'children']) expect(body).not.toHaveProperty(key);
  });

  it("embeds Attaullah Tarar's statements", async () => {
    const { status, body } = await getJson(t.app, `/v1/actors/${TARAR}?include=statements_made,statements_targeting`);
    expect(status).toBe(200);
    expect(idsOf(body.statements_made)).toEqual(
      [
        'stm_pakistan_says_istanbul_talks_stalled',
        'stm_tarar_taliban_failed_doha_commitments',
        'stm_tarar_will_not_support_taliban_measures',
        'stm_tarar_seeks_peace_all_necessary_measures',
        'stm_tarar_thanks_turkey_and_qatar',
      ].sort(),
    );
    for (const statement of body.statements_made) {
      expect(statement.speaker).toEqual({ id: TARAR, name: 'Attaullah Tarar' });
      expect(statement.on_behalf_of).toEqual({ id: PAK_GOV, name: 'Government of Pakistan' });
      expect(statement.sources.length).toBeGreaterThan(0);
    }
    expect(body.statements_targeting).toEqual([]);
  });

  it("embeds the statements targeting the Taliban government, Pakistan's accusations among them", async () => {
    const { body } = await getJson(t.app, `/v1/actors/${TALIBAN}?include=statements_targeting`);
    expect(idsOf(body.statements_targeting)).toEqual(
      [
        'stm_pakistan_accuses_afghanistan_of_instigating_clashes',
        'stm_tarar_taliban_failed_doha_commitments',
        'stm_tarar_will_not_support_taliban_measures',
        'stm_tarar_seeks_peace_all_necessary_measures',
        'stm_andrabi_says_afghanistan_instigated_shooting',
        'stm_information_ministry_committed_to_dialogue',
        'stm_islamabad_accuses_kabul_of_harbouring_ttp',
      ].sort(),
    );
    for (const statement of body.statements_targeting) {
      expect(statement.targets.map((a: { id: string }) => a.id)).toContain(TALIBAN);
    }
    const accusations = body.statements_targeting.filter((s: { kind: string }) => s.kind === 'accusation');
    expect(Object.fromEntries(accusations.map((s: { id: string; speaker: { id: string } }) => [s.id, s.speaker.id]))).toEqual({
      stm_pakistan_accuses_afghanistan_of_instigating_clashes: PAK_GOV,
      stm_tarar_taliban_failed_doha_commitments: TARAR,
      stm_andrabi_says_afghanistan_instigated_shooting: ANDRABI,
      stm_islamabad_accuses_kabul_of_harbouring_ttp: PAK_GOV,
    });
    expect(body).not.toHaveProperty('statements_made');
  });

  it("embeds the Pakistan government's children, statements and events", async () => {
    const { status, body } = await getJson(
      t.app,
      `/v1/actors/${PAK_GOV}?include=events,statements_made,statements_targeting,children`,
    );
    expect(status).toBe(200);
    expect([...body.children].sort((a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1))).toEqual(
      [
        { id: MALIK, name: 'Asim Malik' },
        { id: PAK_FORCES, name: 'Pakistan Armed Forces' },
        { id: PAK_MOFA, name: 'Ministry of Foreign Affairs of Pakistan' },
        { id: PAK_INFO, name: 'Ministry of Information of Pakistan' },
      ].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    expect(idsOf(body.statements_made)).toEqual(
      ['stm_pakistan_accuses_afghanistan_of_instigating_clashes', 'stm_islamabad_accuses_kabul_of_harbouring_ttp'].sort(),
    );
    expect(idsOf(body.statements_targeting)).toEqual(
      [
        'stm_afghanistan_accuses_pakistan_of_instigating_clashes',
        'stm_hakim_accuses_pakistan_of_instigating_shooting',
        'stm_taliban_blames_pakistan_for_kabul_explosion',
      ].sort(),
    );
    const roles = body.events.map((p: { event: { id: string; title: string }; role: string }) => `${p.event.id}:${p.role}`).sort();
    expect(roles).toEqual(
      [
        'evt_afghanistan_pakistan_border_conflict:side_a',
        'evt_istanbul_talks:delegation',
        'evt_istanbul_talks_previous_week:delegation',
        'evt_qatar_brokered_ceasefire:participant',
      ].sort(),
    );
    for (const p of body.events) expect(p.event.title).toEqual(expect.any(String));
  });

  it("embeds the Taliban government's events and Turkey's two roles at the talks", async () => {
    const taliban = await getJson(t.app, `/v1/actors/${TALIBAN}?include=events`);
    expect(taliban.body.events.map((p: { event: { id: string }; role: string }) => `${p.event.id}:${p.role}`).sort()).toEqual(
      [
        'evt_afghanistan_pakistan_border_conflict:side_b',
        'evt_istanbul_talks:delegation',
        'evt_istanbul_talks_previous_week:delegation',
        'evt_qatar_brokered_ceasefire:participant',
        'evt_doha_agreement:participant',
      ].sort(),
    );
    const turkey = await getJson(t.app, `/v1/actors/${TURKEY}?include=events,statements_made`);
    expect(turkey.body.events.map((p: { event: { id: string }; role: string }) => `${p.event.id}:${p.role}`).sort()).toEqual(
      ['evt_istanbul_talks:host', 'evt_istanbul_talks:mediator', 'evt_istanbul_talks_previous_week:mediator'],
    );
    expect(idsOf(turkey.body.statements_made)).toEqual(['stm_turkey_announces_monitoring_mechanism']);
  });

  it('embeds empty arrays for an actor with nothing related', async () => {
    const { body } = await getJson(t.app, `/v1/actors/${REUTERS}?include=events,statements_made,statements_targeting,children`);
    expect(body).toMatchObject({ id: REUTERS, events: [], statements_made: [], statements_targeting: [], children: [] });
  });

  it('keeps includes beside the requested fields', async () => {
    const { body } = await getJson(t.app, `/v1/actors/${TALIBAN}?fields=name&include=children`);
    expect(Object.keys(body).sort()).toEqual(['children', 'id', 'name']);
    expect(body.name).toBe('Taliban government of Afghanistan');
    expect(idsOf(body.children)).toEqual([AFG_FORCES, AFG_INTEL, MUJAHID, SPINGHAR_DEPT].sort());
  });

  it.each([
    ['include=everything', 'query.include.0'],
    ['include=children,parents', 'query.include.1'],
    ['fields=name,age', 'query.fields.1'],
    ['kind=person', 'query.kind'],
  ])('rejects %s with a problem naming %s', async (query, path) => {
    const response = await t.app.inject({ method: 'GET', url: `/v1/actors/${TARAR}?${query}` });
    expectProblem(response, 400, path);
  });

  it('answers 404 problem+json for an unknown id', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/actors/act_nope' });
    expectProblem(response, 404);
    expect(response.json()).toMatchObject({ status: 404, detail: expect.stringContaining('act_nope'), instance: '/v1/actors/act_nope' });
  });
});

// Runs last: it adds an actor to this file's database.
describe('GET /v1/actors?updated_since after a write', () => {
  it('lists only the actors changed since the given time', async () => {
    const { body: before } = await getJson(t.app, '/v1/actors?limit=1000');
    const latest = before.data.map((a: { updated_at: string }) => a.updated_at).sort().at(-1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const since = new Date().toISOString();
    expect(since > latest).toBe(true);
    await t.services.actors.create({
      id: 'act_inserted_after_seed',
      name: 'Inserted spokesperson',
      kind: 'person',
      country: 'PAK',
      parent_id: PAK_MOFA,
      aliases: ['Islamabad spokesperson'],
      sources: [{ id: SOURCE, excerpt: 'Ministry of Foreign Affairs of Pakistan' }],
    }, { actor: 'test' });
    const { body } = await getJson(t.app, `/v1/actors?updated_since=${since}`);
    expect(ids(body)).toEqual(['act_inserted_after_seed']);
    expect(body.meta.total).toBe(1);
    const combined = await getJson(t.app, `/v1/actors?q=islamabad&parent=${PAK_MOFA}`);
    expect(ids(combined.body)).toEqual(['act_inserted_after_seed']);
    const all = await getJson(t.app, `/v1/actors?updated_since=${latest}`);
    expect(ids(all.body)).toContain('act_inserted_after_seed');
    expect(ids(all.body).length).toBeGreaterThanOrEqual(2);
  });
});
