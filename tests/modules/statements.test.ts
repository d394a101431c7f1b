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

// actors
const PAK_GOV = 'act_pakistan_government';
const PAK_FORCES = 'act_pakistan_armed_forces';
const PAK_INFO = 'act_pakistan_ministry_of_information';
const PAK_MOFA = 'act_pakistan_ministry_of_foreign_affairs';
const TARAR = 'act_attaullah_tarar';
const ANDRABI = 'act_tahira_andrabi';
const TALIBAN = 'act_taliban_government';
const SPINGHAR_DEPT = 'act_spinghar_information_culture_department';
const HAKIM = 'act_ali_mohammad_hakim';
const MUJAHID = 'act_mujahid';
const AFG_OFFICIAL = 'act_unnamed_afghan_official';
const TTP = 'act_ttp';
const TURKEY = 'act_turkey';
const QATAR = 'act_qatar';
const UN = 'act_united_nations';

// events
const CONFLICT = 'evt_afghanistan_pakistan_border_conflict';
const CLASH = 'evt_spinghar_border_clash';
const TALKS = 'evt_istanbul_talks';
const PREVIOUS_TALKS = 'evt_istanbul_talks_previous_week';
const CEASEFIRE = 'evt_qatar_brokered_ceasefire';
const KABUL = 'evt_kabul_explosion';
const DOHA = 'evt_doha_agreement';

// statements
const TALKS_STALLED = 'stm_pakistan_says_istanbul_talks_stalled';
const PAK_ACCUSES = 'stm_pakistan_accuses_afghanistan_of_instigating_clashes';
const AFG_ACCUSES = 'stm_afghanistan_accuses_pakistan_of_instigating_clashes';
const OFFICIAL_REPORTS = 'stm_afghan_official_reports_clashes_despite_talks';
const TARAR_DOHA = 'stm_tarar_taliban_failed_doha_commitments';
const TARAR_NO_SUPPORT = 'stm_tarar_will_not_support_taliban_measures';
const TARAR_MEASURES = 'stm_tarar_seeks_peace_all_necessary_measures';
const TARAR_THANKS = 'stm_tarar_thanks_turkey_and_qatar';
const HAKIM_ACCUSES = 'stm_hakim_accuses_pakistan_of_instigating_shooting';
const HAKIM_DENIES = 'stm_hakim_afghan_army_did_not_respond';
const ANDRABI_ACCUSES = 'stm_andrabi_says_afghanistan_instigated_shooting';
const DIALOGUE = 'stm_information_ministry_committed_to_dialogue';
const CEASEFIRE_VALID = 'stm_ministry_says_ceasefire_remains_valid';
const ANDRABI_NAMES_MALIK = 'stm_andrabi_names_asim_malik_delegation_lead';
const MUJAHID_NAMES_WASIQ = 'stm_mujahid_names_abdul_haq_wasiq_delegation_lead';
const HE_SAID = 'stm_pakistan_submitted_demands_to_mediators';
const ISLAMABAD_ACCUSES = 'stm_islamabad_accuses_kabul_of_harbouring_ttp';
const TALIBAN_DENIES = 'stm_afghan_taliban_deny_harbouring_ttp';
const TURKEY_ANNOUNCES = 'stm_turkey_announces_monitoring_mechanism';
const TALIBAN_BLAMES = 'stm_taliban_blames_pakistan_for_kabul_explosion';
const UN_REPORTS = 'stm_un_reports_afghan_civilian_toll';
const MILITARY_REPORTS = 'stm_pakistani_military_reports_losses';

const ALL = [
  TALKS_STALLED,
  PAK_ACCUSES,
  AFG_ACCUSES,
  OFFICIAL_REPORTS,
  TARAR_DOHA,
  TARAR_NO_SUPPORT,
  TARAR_MEASURES,
  TARAR_THANKS,
  HAKIM_ACCUSES,
  HAKIM_DENIES,
  ANDRABI_ACCUSES,
  DIALOGUE,
  CEASEFIRE_VALID,
  ANDRABI_NAMES_MALIK,
  MUJAHID_NAMES_WASIQ,
  HE_SAID,
  ISLAMABAD_ACCUSES,
  TALIBAN_DENIES,
  TURKEY_ANNOUNCES,
  TALIBAN_BLAMES,
  UN_REPORTS,
  MILITARY_REPORTS,
].sort();
const SAID_DAY_BEFORE = [PAK_ACCUSES, AFG_ACCUSES]; // 2025-11-06
const SAID_LAST_WEEK = [TURKEY_ANNOUNCES]; // 2025-10-27
const SAID_ON_FRIDAY = ALL.filter((id) => !SAID_DAY_BEFORE.includes(id) && !SAID_LAST_WEEK.includes(id)); // 2025-11-07
const ACCUSATIONS = [PAK_ACCUSES, AFG_ACCUSES, TARAR_DOHA, HAKIM_ACCUSES, ANDRABI_ACCUSES, ISLAMABAD_ACCUSES, TALIBAN_BLAMES];
const TARAR_SAID = [TALKS_STALLED, TARAR_DOHA, TARAR_NO_SUPPORT, TARAR_MEASURES, TARAR_THANKS];
const TARGETING_TALIBAN = [PAK_ACCUSES, TARAR_DOHA, TARAR_NO_SUPPORT, TARAR_MEASURES, ANDRABI_ACCUSES, DIALOGUE, ISLAMABAD_ACCUSES];
const ON_CLASH = [PAK_ACCUSES, AFG_ACCUSES, OFFICIAL_REPORTS, HAKIM_ACCUSES, HAKIM_DENIES, ANDRABI_ACCUSES];
const ON_TALKS = [TALKS_STALLED, OFFICIAL_REPORTS, TARAR_THANKS, HAKIM_DENIES, DIALOGUE, ANDRABI_NAMES_MALIK, MUJAHID_NAMES_WASIQ, HE_SAID];

describe('GET /v1/statements', () => {
  it('lists every seeded statement with its provenance', async () => {
    const { status, body } = await getJson(t.app, '/v1/statements?limit=1000');
    expect(status).toBe(200);
    expect(ALL).toHaveLength(22);
    expect(ids(body)).toEqual(ALL);
    expect(body.meta).toMatchObject({ limit: 1000, total: 22, next_cursor: null });
    expect(body.links.next).toBeNull();
    for (const statement of body.data) {
      expect(statement.sources.length).toBeGreaterThan(0);
      for (const ref of statement.sources) {
        expect(ref).toMatchObject({ id: SOURCE, title: expect.any(String), excerpt: expect.any(String) });
        expect(SOURCE_TEXT.slice(ref.start_offset, ref.end_offset)).toBe(ref.excerpt);
      }
    }
  });

  it.each([
    // q: text in the summary or the quote, case-insensitive
    ['q=TTP', [ISLAMABAD_ACCUSES, TALIBAN_DENIES]],
    ['q=ceasefire', [CEASEFIRE_VALID]],
    ['q=ISTANBUL', [TALKS_STALLED, HAKIM_DENIES]],
    ['q=delegation', [ANDRABI_NAMES_MALIK, HE_SAID]],
    // "neighboring" is only in the quote (the summary spells it "neighbouring")
    ['q=neighboring', [TARAR_NO_SUPPORT]],
    ['q=nothing%20like%20this', []],
    // speaker
    [`speaker=${TARAR}`, TARAR_SAID],
    [`speaker=${PAK_GOV}`, [PAK_ACCUSES, ISLAMABAD_ACCUSES]],
    [`speaker=${TALIBAN},${HAKIM}`, [AFG_ACCUSES, TALIBAN_DENIES, TALIBAN_BLAMES, HAKIM_ACCUSES, HAKIM_DENIES]],
    [`speaker=${UN}&speaker=${PAK_FORCES}`, [UN_REPORTS, MILITARY_REPORTS]],
    [`speaker=act_reuters`, []],
    // on_behalf_of
    [`on_behalf_of=${PAK_GOV}`, [...TARAR_SAID, DIALOGUE, CEASEFIRE_VALID]],
    [`on_behalf_of=${PAK_MOFA},${SPINGHAR_DEPT}`, [ANDRABI_ACCUSES, ANDRABI_NAMES_MALIK, HAKIM_ACCUSES, HAKIM_DENIES]],
    [`on_behalf_of=${TALIBAN}`, []],
    // target
    [`target=${TALIBAN}`, TARGETING_TALIBAN],
    [`target=${PAK_GOV}`, [AFG_ACCUSES, HAKIM_ACCUSES, TALIBAN_BLAMES]],
    [`target=${TTP}`, [ISLAMABAD_ACCUSES]],
    [`target=${TURKEY},${QATAR}`, [TARAR_THANKS]],
    [`target=${TTP},${PAK_GOV}`, [ISLAMABAD_ACCUSES, AFG_ACCUSES, HAKIM_ACCUSES, TALIBAN_BLAMES]],
    // event
    [`event=${CLASH}`, ON_CLASH],
    [`event=${TALKS}`, ON_TALKS],
    [`event=${CONFLICT}`, [TARAR_MEASURES, UN_REPORTS, MILITARY_REPORTS]],
    [`event=${CEASEFIRE},${DOHA},${KABUL},${PREVIOUS_TALKS}`, [CEASEFIRE_VALID, TARAR_DOHA, TALIBAN_BLAMES, TURKEY_ANNOUNCES]],
    [`event=${CLASH},${TALKS}`, [...new Set([...ON_CLASH, ...ON_TALKS])]],
    // kind
    ['kind=accusation', ACCUSATIONS],
    ['kind=warning,denial', [TARAR_NO_SUPPORT, TARAR_MEASURES, HAKIM_DENIES, TALIBAN_DENIES]],
    ['kind=report', [OFFICIAL_REPORTS, UN_REPORTS, MILITARY_REPORTS]],
    ['kind=commitment,claim,appreciation', [DIALOGUE, CEASEFIRE_VALID, TARAR_THANKS]],
    ['kind=announcement', [TALKS_STALLED, ANDRABI_NAMES_MALIK, MUJAHID_NAMES_WASIQ, HE_SAID, TURKEY_ANNOUNCES]],
    ['kind=demand', []],
    // from / to (said_on)
    ['from=2025-11-07', SAID_ON_FRIDAY],
    ['to=2025-11-06', [...SAID_DAY_BEFORE, ...SAID_LAST_WEEK]],
    ['from=2025-11-06&to=2025-11-06', SAID_DAY_BEFORE],
    ['from=2025-10-28&to=2025-11-06', SAID_DAY_BEFORE],
    ['to=2025-10-31', SAID_LAST_WEEK],
    ['from=2025-10-01', ALL],
    ['from=2025-11-08', []],
    // attribution
    ['attribution=inferred', [TALKS_STALLED, CEASEFIRE_VALID]],
    ['attribution=ambiguous', [HE_SAID]],
    ['attribution=inferred,ambiguous', [TALKS_STALLED, CEASEFIRE_VALID, HE_SAID]],
    ['attribution=stated', ALL.filter((id) => ![TALKS_STALLED, CEASEFIRE_VALID, HE_SAID].includes(id))],
    // updated_since
    ['updated_since=2000-01-01T00:00:00Z', ALL],
    ['updated_since=2999-01-01T00:00:00Z', []],
    // combinations
    [`event=${CLASH}&kind=accusation`, [PAK_ACCUSES, AFG_ACCUSES, HAKIM_ACCUSES, ANDRABI_ACCUSES]],
    [`speaker=${TARAR}&target=${TALIBAN}`, [TARAR_DOHA, TARAR_NO_SUPPORT, TARAR_MEASURES]],
    [`on_behalf_of=${PAK_GOV}&attribution=inferred`, [TALKS_STALLED, CEASEFIRE_VALID]],
    [`kind=accusation&to=2025-11-06`, SAID_DAY_BEFORE],
    [`target=${PAK_GOV}&from=2025-11-07`, [HAKIM_ACCUSES, TALIBAN_BLAMES]],
    [`q=Taliban&speaker=${TARAR}`, [TARAR_DOHA, TARAR_NO_SUPPORT]],
  ])('filters by %s', async (query, expected) => {
    const { status, body } = await getJson(t.app, `/v1/statements?limit=1000&${query}`);
    expect(status).toBe(200);
    expect(ids(body)).toEqual([...expected].sort());
    expect(body.meta.total).toBe(expected.length);
  });

  it('sorts by said_on, newest first by default, ties broken by id', async () => {
    const { body } = await getJson(t.app, '/v1/statements?limit=1000');
    const keys = body.data.map((s: { said_on: string; id: string }) => [s.said_on, s.id]);
    const sorted = [...keys].sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? 1 : -1));
    expect(keys).toEqual(sorted);
    expect(body.data.map((s: { id: string }) => s.id).slice(-3)).toEqual([...[...SAID_DAY_BEFORE].sort(), TURKEY_ANNOUNCES]);
  });

  it.each([
    ['-said_on', 2],
    ['said_on', 3],
    ['kind', 2],
    ['-kind,said_on', 3],
    ['created_at', 2],
    ['-updated_at', 3],
  ])('walks every record exactly once sorted by %s in pages of %i', async (sort, limit) => {
    const full = await getJson(t.app, `/v1/statements?limit=1000&sort=${sort}`);
    const walked = await walkPages(t.app, `/v1/statements?limit=${limit}&sort=${sort}`);
    expect(walked.pages).toBe(Math.ceil(22 / limit));
    expect(walked.total).toBe(22);
    expect(walked.records.map((s) => s.id)).toEqual(full.body.data.map((s: { id: string }) => s.id));
    expect(new Set(walked.records.map((s) => s.id)).size).toBe(22);
  });

  it('walks a filtered list in pages too', async () => {
    const walked = await walkPages(t.app, `/v1/statements?limit=2&event=${TALKS}&sort=kind`);
    expect(walked.total).toBe(8);
    expect(walked.pages).toBe(4);
    expect(walked.records.map((s) => s.id).sort()).toEqual([...ON_TALKS].sort());
  });

  it('returns only the requested fields, and id', async () => {
    const { body } = await getJson(t.app, '/v1/statements?fields=kind,speaker,targets&limit=1000');
    expect(body.data).toHaveLength(22);
    for (const statement of body.data) expect(Object.keys(statement).sort()).toEqual(['id', 'kind', 'speaker', 'targets']);
    const detail = await getJson(t.app, `/v1/statements/${HE_SAID}?fields=attribution,speaker`);
    expect(detail.body).toEqual({ id: HE_SAID, attribution: 'ambiguous', speaker: null });
  });

  it.each([
    ['kind=rumour', 'query.kind.0'],
    ['kind=accusation,rumour', 'query.kind.1'],
    ['attribution=certain', 'query.attribution.0'],
    ['attribution=stated,sure', 'query.attribution.1'],
    ['from=2025-02-30', 'query.from'],
    ['to=07/11/2025', 'query.to'],
    ['from=2025-11-07&to=2025-11-06', 'query.to'],
    ['q=', 'query.q'],
    ['q=%25%20-', 'query.q'],
    ['speaker=', 'query.speaker'],
    ['limit=1001', 'query.limit'],
    ['sort=speaker', 'query.sort.0'],
    ['fields=summary,speaker_id', 'query.fields.1'],
    ['include=events', 'query.include'],
    ['speakr=act_attaullah_tarar', 'query.speakr'],
    ['updated_since=yesterday', 'query.updated_since'],
    ['cursor=not-a-cursor', 'query.cursor'],
  ])('rejects %s with a problem naming %s', async (query, path) => {
    const response = await t.app.inject({ method: 'GET', url: `/v1/statements?${query}` });
    const problem = expectProblem(response, 400, path);
    expect(problem).toMatchObject({ status: 400, title: expect.any(String), instance: `/v1/statements?${query}` });
  });
});

describe('who accused whom over the Spinghar clash', () => {
  it('has an accusation from each side, each targeting the other', async () => {
    const { status, body } = await getJson(t.app, `/v1/statements?event=${CLASH}&kind=accusation`);
    expect(status).toBe(200);
    const byId = Object.fromEntries(
      body.data.map((s: any) => [
        s.id,
        { speaker: s.speaker, on_behalf_of: s.on_behalf_of, targets: s.targets, attribution: s.attribution, said_on: s.said_on },
      ]),
    );
    expect(byId).toEqual({
      [PAK_ACCUSES]: {
        speaker: { id: PAK_GOV, name: 'Government of Pakistan' },
        on_behalf_of: null,
        targets: [{ id: TALIBAN, name: 'Taliban government of Afghanistan' }],
        attribution: 'stated',
        said_on: '2025-11-06',
      },
      [AFG_ACCUSES]: {
        speaker: { id: TALIBAN, name: 'Taliban government of Afghanistan' },
        on_behalf_of: null,
        targets: [{ id: PAK_GOV, name: 'Government of Pakistan' }],
        attribution: 'stated',
        said_on: '2025-11-06',
      },
      [ANDRABI_ACCUSES]: {
        speaker: { id: ANDRABI, name: 'Tahira Andrabi' },
        on_behalf_of: { id: PAK_MOFA, name: 'Ministry of Foreign Affairs of Pakistan' },
        targets: [{ id: TALIBAN, name: 'Taliban government of Afghanistan' }],
        attribution: 'stated',
        said_on: '2025-11-07',
      },
      [HAKIM_ACCUSES]: {
        speaker: { id: HAKIM, name: 'Ali Mohammad Hakim' },
        on_behalf_of: { id: SPINGHAR_DEPT, name: 'Information and Culture Department, Spinghar' },
        targets: [{ id: PAK_GOV, name: 'Government of Pakistan' }],
        attribution: 'stated',
        said_on: '2025-11-07',
      },
    });
    for (const statement of body.data) {
      expect(statement.events).toEqual([{ id: CLASH, title: 'Border clash in Spinghar district, Kandahar province' }]);
    }
  });

  it('finds the Pakistani side accusing the Taliban government and the Afghan side accusing Pakistan', async () => {
    const pakistani = await getJson(t.app, `/v1/statements?event=${CLASH}&kind=accusation&target=${TALIBAN}`);
    expect(ids(pakistani.body)).toEqual([PAK_ACCUSES, ANDRABI_ACCUSES].sort());
    const afghan = await getJson(t.app, `/v1/statements?event=${CLASH}&kind=accusation&target=${PAK_GOV}`);
    expect(ids(afghan.body)).toEqual([AFG_ACCUSES, HAKIM_ACCUSES].sort());
    // The mutual accusations of "the day before" are both sourced from the same passage.
    const excerpts = [...pakistani.body.data, ...afghan.body.data]
      .filter((s: { id: string }) => SAID_DAY_BEFORE.includes(s.id))
      .map((s: { sources: { excerpt: string }[] }) => s.sources.map((r) => r.excerpt));
    expect(excerpts).toEqual([
      ['as the day before, both sides accused each other of instigating border clashes'],
      ['as the day before, both sides accused each other of instigating border clashes'],
    ]);
  });
});

describe('GET /v1/statements/{id}', () => {
  it('keeps the ambiguous "He said" statement without a speaker', async () => {
    const { status, body } = await getJson(t.app, `/v1/statements/${HE_SAID}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: HE_SAID,
      kind: 'announcement',
      quote: 'whose only purpose is to end cross-border terrorism',
      said_on: '2025-11-07',
      said_on_precision: 'range',
      speaker: null,
      on_behalf_of: null,
      attribution: 'ambiguous',
      targets: [],
      events: [{ id: TALKS, title: expect.any(String) }],
      version: 1,
    });
    expect(body.attribution_note).toMatch(/"He said"/);
    expect(body.sources).toHaveLength(1);
    expect(body.sources[0].excerpt).toMatch(/^He said that Pakistan has submitted its demands/);
  });

  it('returns an inferred statement with its note, and targets and events as references', async () => {
    const stalled = await getJson(t.app, `/v1/statements/${TALKS_STALLED}`);
    expect(stalled.body).toMatchObject({
      kind: 'announcement',
      quote: null,
      said_on: '2025-11-07',
      said_on_precision: 'day',
      speaker: { id: TARAR, name: 'Attaullah Tarar' },
      on_behalf_of: { id: PAK_GOV, name: 'Government of Pakistan' },
      attribution: 'inferred',
      targets: [],
      events: [{ id: TALKS, title: 'Pakistan–Afghanistan talks in Istanbul (week of 2025-11-03)' }],
    });
    expect(stalled.body.attribution_note).toMatch(/Tarar is read as the speaker/);
    expect(stalled.body.sources).toHaveLength(2);

    const thanks = await getJson(t.app, `/v1/statements/${TARAR_THANKS}`);
    expect([...thanks.body.targets].sort((a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1))).toEqual([
      { id: QATAR, name: 'Qatar' },
      { id: TURKEY, name: 'Turkey' },
    ]);

    const turkey = await getJson(t.app, `/v1/statements/${TURKEY_ANNOUNCES}`);
    expect(turkey.body).toMatchObject({
      said_on: '2025-10-27',
      said_on_precision: 'week',
      speaker: { id: TURKEY, name: 'Turkey' },
      events: [{ id: PREVIOUS_TALKS, title: expect.any(String) }],
    });

    const mujahid = await getJson(t.app, `/v1/statements/${MUJAHID_NAMES_WASIQ}`);
    expect(mujahid.body).toMatchObject({ speaker: { id: MUJAHID, name: 'Mujahid' }, on_behalf_of: null, attribution: 'stated' });
    const official = await getJson(t.app, `/v1/statements/${OFFICIAL_REPORTS}`);
    expect(official.body.speaker).toEqual({ id: AFG_OFFICIAL, name: 'Unnamed Afghan official' });
    expect(official.body.events.map((e: { id: string }) => e.id).sort()).toEqual([CLASH, TALKS].sort());
    const dialogue = await getJson(t.app, `/v1/statements/${DIALOGUE}`);
    expect(dialogue.body.speaker).toEqual({ id: PAK_INFO, name: 'Ministry of Information of Pakistan' });
  });

  it.each([
    ['fields=nonsense', 'query.fields.0'],
    ['include=events', 'query.include'],
  ])('rejects %s with a problem naming %s', async (query, path) => {
    const response = await t.app.inject({ method: 'GET', url: `/v1/statements/${HE_SAID}?${query}` });
    expectProblem(response, 400);
    expect(response.json().errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('answers 404 problem+json for an unknown id', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/statements/stm_nope' });
    expectProblem(response, 404);
    expect(response.json()).toMatchObject({
      status: 404,
      detail: expect.stringContaining('stm_nope'),
      instance: '/v1/statements/stm_nope',
    });
  });
});

// Runs last: it adds a statement to this file's database.
describe('GET /v1/statements?updated_since after a write', () => {
  it('lists only the statements changed since the given time', async () => {
    const { body: before } = await getJson(t.app, '/v1/statements?limit=1000');
    const latest = before.data.map((s: { updated_at: string }) => s.updated_at).sort().at(-1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const since = new Date().toISOString();
    expect(since > latest).toBe(true);
    await t.services.statements.create({
      id: 'stm_inserted_after_seed',
      kind: 'demand',
      summary: 'An inserted demand about the clash.',
      said_on: '2025-11-08',
      said_on_precision: 'day',
      speaker_id: ANDRABI,
      on_behalf_of_id: PAK_MOFA,
      attribution: 'stated',
      target_ids: [TALIBAN],
      event_ids: [CLASH],
      sources: [{ id: SOURCE, excerpt: 'Tensions' }],
    }, { actor: 'test' });
    const { body } = await getJson(t.app, `/v1/statements?updated_since=${since}`);
    expect(ids(body)).toEqual(['stm_inserted_after_seed']);
    expect(body.meta.total).toBe(1);
    const clash = await getJson(t.app, `/v1/statements?event=${CLASH}&target=${TALIBAN}&from=2025-11-08`);
    expect(ids(clash.body)).toEqual(['stm_inserted_after_seed']);
  });
});
