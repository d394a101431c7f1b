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

const ALL_EVENTS = [
  'evt_afghanistan_pakistan_border_conflict',
  'evt_spinghar_border_clash',
  'evt_istanbul_talks',
  'evt_istanbul_talks_previous_week',
  'evt_qatar_brokered_ceasefire',
  'evt_kabul_explosion',
  'evt_doha_agreement',
].sort();
const ALL_STATEMENTS = [
  'stm_pakistan_says_istanbul_talks_stalled',
  'stm_pakistan_accuses_afghanistan_of_instigating_clashes',
  'stm_afghanistan_accuses_pakistan_of_instigating_clashes',
  'stm_afghan_official_reports_clashes_despite_talks',
  'stm_tarar_taliban_failed_doha_commitments',
  'stm_tarar_will_not_support_taliban_measures',
  'stm_tarar_seeks_peace_all_necessary_measures',
  'stm_tarar_thanks_turkey_and_qatar',
  'stm_hakim_accuses_pakistan_of_instigating_shooting',
  'stm_hakim_afghan_army_did_not_respond',
  'stm_andrabi_says_afghanistan_instigated_shooting',
  'stm_information_ministry_committed_to_dialogue',
  'stm_ministry_says_ceasefire_remains_valid',
  'stm_andrabi_names_asim_malik_delegation_lead',
  'stm_mujahid_names_abdul_haq_wasiq_delegation_lead',
  'stm_pakistan_submitted_demands_to_mediators',
  'stm_islamabad_accuses_kabul_of_harbouring_ttp',
  'stm_afghan_taliban_deny_harbouring_ttp',
  'stm_turkey_announces_monitoring_mechanism',
  'stm_taliban_blames_pakistan_for_kabul_explosion',
  'stm_un_reports_afghan_civilian_toll',
  'stm_pakistani_military_reports_losses',
].sort();
const ALL_CASUALTY_REPORTS = [
  'cas_afghan_official_spinghar_clash_civilians',
  'cas_un_afghan_civilians_since_october_9',
  'cas_kabul_explosion_deaths',
  'cas_pakistani_military_soldiers',
].sort();

describe('GET /v1/sources', () => {
  it('lists the seeded source, without provenance of its own and without its text', async () => {
    const { status, body } = await getJson(t.app, '/v1/sources?limit=1000');
    expect(status).toBe(200);
    expect(ids(body)).toEqual([SOURCE]);
    expect(body.meta).toMatchObject({ limit: 1000, total: 1, next_cursor: null });
    expect(body.links.next).toBeNull();
    const [source] = body.data;
    expect(source).toMatchObject({
      id: SOURCE,
      title: 'Pakistan says Istanbul talks with Afghanistan have stalled as both sides trade blame over border clash',
      publisher: 'Toutiao',
      url: 'https://www.toutiao.com/article/7570382530332770879/',
      original_url: 'https://www.toutiao.com/article/7570382530332770879/',
      language: 'en',
      published_on: '2025-11-07',
      kind: 'news_article',
      credit: 'Photo: Reuters; text cites a news agency',
      has_text: true,
      version: 1,
    });
    expect(source.notes).toMatch(/English translation/);
    expect(source).not.toHaveProperty('sources');
    expect(source).not.toHaveProperty('text');
  });

  it.each([
    // q: text in the title or the stored text, case-insensitive
    ['q=Istanbul', [SOURCE]],
    ['q=TRADE%20BLAME', [SOURCE]],
    // "Spinghar" and "Attaullah Tarar" are in the text only, not in the title
    ['q=spinghar', [SOURCE]],
    ['q=attaullah%20tarar', [SOURCE]],
    ['q=zanzibar', []],
    // publisher
    ['publisher=Toutiao', [SOURCE]],
    ['publisher=Reuters', []],
    ['publisher=Reuters,Toutiao', [SOURCE]],
    // from / to: published on
    ['from=2025-11-07', [SOURCE]],
    ['from=2025-11-08', []],
    ['to=2025-11-07', [SOURCE]],
    ['to=2025-11-06', []],
    ['from=2025-11-01&to=2025-11-30', [SOURCE]],
    // updated_since
    ['updated_since=2000-01-01T00:00:00Z', [SOURCE]],
    ['updated_since=2999-01-01T00:00:00Z', []],
    // combinations
    ['q=spinghar&publisher=Toutiao', [SOURCE]],
    ['q=spinghar&publisher=Reuters', []],
    ['publisher=Toutiao&to=2025-11-06', []],
  ])('filters by %s', async (query, expected) => {
    const { status, body } = await getJson(t.app, `/v1/sources?limit=1000&${query}`);
    expect(status).toBe(200);
    expect(ids(body)).toEqual([...expected].sort());
    expect(body.meta.total).toBe(expected.length);
  });

  it.each(['-created_at', 'title', '-published_on', 'updated_at'])('walks the seeded source once sorted by %s', async (sort) => {
    const walked = await walkPages(t.app, `/v1/sources?limit=1&sort=${sort}`);
    expect(walked).toMatchObject({ pages: 1, total: 1 });
    expect(idsOf(walked.records)).toEqual([SOURCE]);
  });

  it('returns only the requested fields, and id', async () => {
    const { body } = await getJson(t.app, '/v1/sources?fields=title,has_text');
    expect(body.data).toEqual([{ id: SOURCE, title: expect.any(String), has_text: true }]);
  });

  it.each([
    ['from=2025-11-31', 'query.from'],
    ['to=2025/11/07', 'query.to'],
    ['from=2025-11-07&to=2025-11-01', 'query.to'],
    ['q=', 'query.q'],
    ['q=%25', 'query.q'],
    ['publisher=', 'query.publisher'],
    ['limit=-1', 'query.limit'],
    ['sort=publisher', 'query.sort.0'],
    ['sort=title,-length', 'query.sort.1'],
    ['fields=text', 'query.fields.0'],
    ['fields=title,sources', 'query.fields.1'],
    ['include=text', 'query.include'],
    ['kind=news_article', 'query.kind'],
    ['updated_since=now', 'query.updated_since'],
  ])('rejects %s with a problem naming %s', async (query, path) => {
    const response = await t.app.inject({ method: 'GET', url: `/v1/sources?${query}` });
    const problem = expectProblem(response, 400, path);
    expect(problem).toMatchObject({ status: 400, title: expect.any(String), instance: `/v1/sources?${query}` });
  });
});

describe('GET /v1/sources/{id}', () => {
  it('says the text is stored without returning it', async () => {
    const { status, body } = await getJson(t.app, `/v1/sources/${SOURCE}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: SOURCE, has_text: true, publisher: 'Toutiao' });
    for (const key of ['text', 'events', 'statements', 'casualty_reports', 'sources']) expect(body).not.toHaveProperty(key);
  });

  it('returns the full stored text with include=text', async () => {
    const { status, body } = await getJson(t.app, `/v1/sources/${SOURCE}?include=text`);
    expect(status).toBe(200);
    expect(body.text).toBe(SOURCE_TEXT);
    expect(body.has_text).toBe(true);
    const picked = await getJson(t.app, `/v1/sources/${SOURCE}?include=text&fields=title`);
    expect(Object.keys(picked.body).sort()).toEqual(['id', 'text', 'title']);
    expect(picked.body.text).toBe(SOURCE_TEXT);
  });

  it('embeds the events, statements and casualty reports it supports', async () => {
    const { status, body } = await getJson(t.app, `/v1/sources/${SOURCE}?include=events,statements,casualty_reports`);
    expect(status).toBe(200);
    expect(body).not.toHaveProperty('text');
    expect(body.events.length).toBeGreaterThan(0);
    expect(idsOf(body.events)).toEqual(ALL_EVENTS);
    for (const event of body.events) expect(Object.keys(event).sort()).toEqual(['id', 'title']);
    expect(body.statements.length).toBeGreaterThan(0);
    expect(idsOf(body.statements)).toEqual(ALL_STATEMENTS);
    expect(body.casualty_reports.length).toBeGreaterThan(0);
    expect(idsOf(body.casualty_reports)).toEqual(ALL_CASUALTY_REPORTS);
    // Embedded records carry their own provenance, every excerpt verbatim from this text.
    for (const record of [...body.statements, ...body.casualty_reports]) {
      expect(record.sources.length).toBeGreaterThan(0);
      for (const ref of record.sources) {
        expect(ref.id).toBe(SOURCE);
        expect(SOURCE_TEXT.slice(ref.start_offset, ref.end_offset)).toBe(ref.excerpt);
      }
    }
  });

  it.each([
    ['include=events', 'events', ALL_EVENTS],
    ['include=statements', 'statements', ALL_STATEMENTS],
    ['include=casualty_reports', 'casualty_reports', ALL_CASUALTY_REPORTS],
  ])('embeds only what %s asks for', async (query, key, expected) => {
    const { body } = await getJson(t.app, `/v1/sources/${SOURCE}?${query}`);
    expect(idsOf(body[key])).toEqual(expected);
    const others = ['text', 'events', 'statements', 'casualty_reports'].filter((k) => k !== key);
    for (const other of others) expect(body).not.toHaveProperty(other);
  });

  it.each([
    ['include=everything', 'query.include.0'],
    ['include=text,body', 'query.include.1'],
    ['fields=title,text', 'query.fields.1'],
    ['q=text', 'query.q'],
  ])('rejects %s with a problem naming %s', async (query, path) => {
    const response = await t.app.inject({ method: 'GET', url: `/v1/sources/${SOURCE}?${query}` });
    expectProblem(response, 400, path);
  });

  it('answers 404 problem+json for an unknown id', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/sources/src_nope' });
    expectProblem(response, 404);
    expect(response.json()).toMatchObject({ status: 404, detail: expect.stringContaining('src_nope'), instance: '/v1/sources/src_nope' });
    const withInclude = await getJson(t.app, '/v1/sources/src_nope?include=text,events');
    expect(withInclude.status).toBe(404);
  });
});

// Runs after the seed-only tests: it adds sources to this file's database, so that
// filters can tell records apart and pagination crosses page boundaries.
describe('GET /v1/sources with more sources', () => {
  const DAWN_REOPENED = 'src_extra_dawn_crossing_reopened';
  const DAWN_TALKS = 'src_extra_dawn_talks_resume';
  const TOLO = 'src_extra_tolo_spinghar';
  const UNDATED = 'src_extra_undated_release';
  const EVERY = [SOURCE, DAWN_REOPENED, DAWN_TALKS, TOLO, UNDATED].sort();
  let since = '';

  beforeAll(async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    since = new Date().toISOString();
    await t.services.sources.create({
      id: DAWN_REOPENED,
      title: 'Border crossing reopened',
      publisher: 'Dawn',
      published_on: '2025-11-10',
      language: 'en',
      text: 'The Torkham crossing reopened on Monday after weeks of closure.',
    }, { actor: 'test' });
    await t.services.sources.create({
      id: DAWN_TALKS,
      title: 'Talks resume in Istanbul',
      publisher: 'Dawn',
      published_on: '2025-10-30',
    }, { actor: 'test' });
    await t.services.sources.create({
      id: TOLO,
      title: 'Spinghar residents describe the shelling',
      publisher: 'TOLOnews',
      published_on: '2025-11-06',
      text: 'Residents said the firing lasted for hours.',
    }, { actor: 'test' });
    await t.services.sources.create({ id: UNDATED, title: 'An undated press release', kind: 'press_release' }, { actor: 'test' });
  });

  it('lists them all, with has_text telling which have text', async () => {
    const { body } = await getJson(t.app, '/v1/sources?limit=1000');
    expect(ids(body)).toEqual(EVERY);
    const hasText = Object.fromEntries(body.data.map((s: { id: string; has_text: boolean }) => [s.id, s.has_text]));
    expect(hasText).toEqual({ [SOURCE]: true, [DAWN_REOPENED]: true, [DAWN_TALKS]: false, [TOLO]: true, [UNDATED]: false });
    for (const source of body.data) expect(source).not.toHaveProperty('text');
  });

  it.each([
    ['q=istanbul', [SOURCE, DAWN_TALKS]],
    ['q=torkham', [DAWN_REOPENED]],
    ['q=SPINGHAR', [SOURCE, TOLO]],
    ['q=residents', [TOLO]],
    ['publisher=Dawn', [DAWN_REOPENED, DAWN_TALKS]],
    ['publisher=Dawn,TOLOnews', [DAWN_REOPENED, DAWN_TALKS, TOLO]],
    ['publisher=TOLOnews&publisher=Toutiao', [TOLO, SOURCE]],
    ['from=2025-11-07', [SOURCE, DAWN_REOPENED]],
    ['to=2025-11-06', [DAWN_TALKS, TOLO]],
    ['from=2025-11-06&to=2025-11-07', [SOURCE, TOLO]],
    ['from=2025-11-08', [DAWN_REOPENED]],
    ['to=2025-10-29', []],
    ['updated_since=2000-01-01T00:00:00Z', EVERY],
    ['publisher=Dawn&from=2025-11-01', [DAWN_REOPENED]],
    ['q=istanbul&to=2025-11-06', [DAWN_TALKS]],
  ])('filters by %s', async (query, expected) => {
    const { status, body } = await getJson(t.app, `/v1/sources?limit=1000&${query}`);
    expect(status).toBe(200);
    expect(ids(body)).toEqual([...expected].sort());
    expect(body.meta.total).toBe(expected.length);
  });

  it('lists only the sources written since a time', async () => {
    const { body } = await getJson(t.app, `/v1/sources?updated_since=${since}`);
    expect(ids(body)).toEqual([DAWN_REOPENED, DAWN_TALKS, TOLO, UNDATED].sort());
    expect(body.meta.total).toBe(4);
  });

  it('returns a null text for a source stored without one', async () => {
    const { body } = await getJson(t.app, `/v1/sources/${DAWN_TALKS}?include=text,events,statements,casualty_reports`);
    expect(body).toMatchObject({ id: DAWN_TALKS, has_text: false, text: null, events: [], statements: [], casualty_reports: [] });
    const tolo = await getJson(t.app, `/v1/sources/${TOLO}?include=text`);
    expect(tolo.body.text).toBe('Residents said the firing lasted for hours.');
  });

  it.each([
    ['-created_at', 2],
    ['title', 2],
    ['-title', 3],
    ['id', 2],
    ['-updated_at', 2],
    ['published_on', 2],
    ['-published_on', 2],
    ['-published_on,title', 3],
  ])('walks every record exactly once sorted by %s in pages of %i', async (sort, limit) => {
    const full = await getJson(t.app, `/v1/sources?limit=1000&sort=${sort}`);
    expect(full.status).toBe(200);
    const walked = await walkPages(t.app, `/v1/sources?limit=${limit}&sort=${sort}`);
    expect(walked.pages).toBe(Math.ceil(5 / limit));
    expect(walked.total).toBe(5);
    expect(walked.records.map((s) => s.id)).toEqual(full.body.data.map((s: { id: string }) => s.id));
    expect(new Set(walked.records.map((s) => s.id)).size).toBe(5);
  });

  it('walks a filtered list in pages too', async () => {
    const walked = await walkPages(t.app, '/v1/sources?limit=1&publisher=Dawn,Toutiao&sort=published_on');
    expect(walked.total).toBe(3);
    expect(walked.pages).toBe(3);
    expect(walked.records.map((s) => s.id)).toEqual([DAWN_TALKS, SOURCE, DAWN_REOPENED]);
  });
});
