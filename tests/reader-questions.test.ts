import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, seededApp, type TestApp } from './helpers/app.js';

// domain.md: a reader must be able to answer these from the API alone, with provenance.

let t: TestApp;
beforeAll(async () => {
  t = await seededApp();
});
afterAll(() => t.close());

type Ref = { id: string; name: string };
type SourceRef = { id: string; excerpt: string };

async function articleText(): Promise<string> {
  return (await getJson(t.app, '/v1/sources/src_toutiao_7570382530332770879?include=text')).body.text;
}

describe('questions a reader can answer from the API', () => {
  it('who accused whom of starting the Spinghar clash', async () => {
    const text = await articleText();
    const { body } = await getJson(t.app, '/v1/statements?event=evt_spinghar_border_clash&kind=accusation&limit=100');
    const accusations = body.data.map((s: { speaker: Ref | null; on_behalf_of: Ref | null; targets: Ref[]; sources: SourceRef[] }) => ({
      accuser: s.on_behalf_of?.id ?? s.speaker?.id,
      accused: s.targets.map((x) => x.id),
      sources: s.sources,
    }));
    const pakistani = ['act_pakistan_government', 'act_pakistan_ministry_of_foreign_affairs'];
    const afghan = ['act_taliban_government', 'act_spinghar_information_culture_department'];
    // Both directions are on record: Pakistan's side accuses the Afghan side and vice versa.
    expect(accusations.some((a: any) => pakistani.includes(a.accuser) && a.accused.includes('act_taliban_government'))).toBe(true);
    expect(accusations.some((a: any) => afghan.includes(a.accuser) && a.accused.includes('act_pakistan_government'))).toBe(true);
    // Hakim and Andrabi by name, each with the sentence that says so.
    const { body: hakim } = await getJson(t.app, '/v1/statements?speaker=act_ali_mohammad_hakim&kind=accusation');
    expect(hakim.data[0].targets.map((x: Ref) => x.id)).toContain('act_pakistan_government');
    expect(hakim.data[0].sources[0].excerpt).toContain('accused Pakistan of instigating the shooting incident');
    const { body: andrabi } = await getJson(t.app, '/v1/statements?speaker=act_tahira_andrabi&kind=accusation');
    expect(andrabi.data[0].sources[0].excerpt).toContain('it was Afghanistan that instigated the shooting incident');
    for (const a of accusations) for (const s of a.sources) expect(text).toContain(s.excerpt);
  });

  it('what the UN, the Pakistani military and the Afghan official each reported', async () => {
    const text = await articleText();
    const figures = async (reporter: string) =>
      (await getJson(t.app, `/v1/casualty-reports?reported_by=${reporter}`)).body.data.map(
        (r: { category: string; killed: unknown; injured: unknown; sources: SourceRef[] }) => {
          for (const s of r.sources) expect(text).toContain(s.excerpt);
          return { category: r.category, killed: r.killed, injured: r.injured, excerpt: r.sources[0].excerpt };
        },
      );
    expect(await figures('act_united_nations')).toEqual([
      { category: 'civilians', killed: { min: 50, max: 50 }, injured: { min: 447, max: 447 }, excerpt: expect.stringContaining('50 civilians') },
    ]);
    expect(await figures('act_pakistan_armed_forces')).toEqual([
      { category: 'military', killed: { min: 23, max: 23 }, injured: { min: 29, max: 29 }, excerpt: expect.stringContaining('23 soldiers') },
    ]);
    expect(await figures('act_unnamed_afghan_official')).toEqual([
      { category: 'civilians', killed: { min: 4, max: 4 }, injured: { min: 5, max: 5 }, excerpt: expect.stringContaining('four Afghan civilians') },
    ]);
  });

  it('who led each delegation at Istanbul and who mediated', async () => {
    const { body } = await getJson(t.app, '/v1/events/evt_istanbul_talks?include=participants');
    expect(body.status).toBe('stalled');
    const byRole = (role: string) =>
      body.participants.filter((p: { role: string }) => p.role === role).map((p: { actor: Ref }) => p.actor.id).sort();
    expect(byRole('delegation_lead')).toEqual(['act_abdul_haq_wasiq', 'act_asim_malik']);
    expect(byRole('mediator')).toEqual(['act_qatar', 'act_turkey']);
    // Each lead is backed by the sentence naming them.
    const { body: leads } = await getJson(t.app, '/v1/statements?event=evt_istanbul_talks&kind=announcement');
    const excerpts = leads.data.flatMap((s: { sources: SourceRef[] }) => s.sources.map((x) => x.excerpt)).join(' ');
    expect(excerpts).toContain('Asim Malik is leading the Pakistani delegation');
    expect(excerpts).toContain('Abdul Haq Wasiq');
  });
});
