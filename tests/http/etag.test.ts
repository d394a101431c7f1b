import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await seededApp();
});
afterAll(() => t.close());

describe('ETag and If-None-Match', () => {
  it.each(['/v1/events/evt_spinghar_border_clash', '/v1/events?country=AFG', '/v1/actors', '/v1/sources/src_toutiao_7570382530332770879?include=text'])(
    '%s carries an ETag and answers a matching If-None-Match with 304 and no body',
    async (url) => {
      const first = await t.app.inject({ method: 'GET', url });
      expect(first.statusCode).toBe(200);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^(W\/)?"[^"]+"$/);

      const again = await t.app.inject({ method: 'GET', url, headers: { 'if-none-match': etag } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');

      const stale = await t.app.inject({ method: 'GET', url, headers: { 'if-none-match': '"something-else"' } });
      expect(stale.statusCode).toBe(200);
      expect(stale.headers.etag).toBe(etag);
    },
  );

  it('changes when the representation changes', async () => {
    const url = '/v1/statements?kind=demand';
    const before = await t.app.inject({ method: 'GET', url });
    await t.services.statements.create({
      id: 'stm_etag_probe',
      kind: 'demand',
      summary: 'A demand added to change the list.',
      said_on: '2025-11-07',
      said_on_precision: 'day',
      attribution: 'ambiguous',
      sources: [{ id: 'src_toutiao_7570382530332770879', excerpt: 'Tensions' }],
    }, { actor: 'test' });
    const after = await t.app.inject({ method: 'GET', url, headers: { 'if-none-match': before.headers.etag as string } });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.json().data.map((s: { id: string }) => s.id)).toContain('stm_etag_probe');
  });
});
