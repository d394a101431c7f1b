import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededApp, type TestApp } from '../helpers/app.js';
import { testKeys } from '../helpers/keys.js';

// READ_REQUIRES_KEY=true: the whole app, not just the plugin, asks for a read key.

let t: TestApp;
let keys: Awaited<ReturnType<typeof testKeys>>;
beforeAll(async () => {
  t = await seededApp({ readRequiresKey: true });
  keys = await testKeys(t);
});
afterAll(() => t.close());

describe('reads behind a key', () => {
  it.each(['/v1/events', '/v1/actors/act_turkey', '/v1/changes', '/v1/events/evt_istanbul_talks/revisions'])('%s needs a key with the read scope', async (url) => {
    const anonymous = await t.app.inject({ method: 'GET', url });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await t.app.inject({ method: 'GET', url, headers: keys.read })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url, headers: keys.write })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url, headers: keys.revoked })).statusCode).toBe(403);
  });

  it.each(['/healthz', '/readyz', '/openapi.json', '/docs/'])('%s stays open', async (url) => {
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(200);
  });
});
