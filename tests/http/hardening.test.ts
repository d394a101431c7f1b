import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import type { HttpOptions } from '../../src/http/hardening.js';
import { getJson, seededApp, type TestApp } from '../helpers/app.js';
import { testKeys } from '../helpers/keys.js';
import { expectProblem } from '../helpers/problems.js';

// HTTP hygiene on the real app: security headers, the CORS allow-list, rate limits (in
// memory and in Redis, shared by two replicas), body limits and the saturation guard.
// Every refusal is a problem+json the OpenAPI document declares.

let t: TestApp;
let keys: Awaited<ReturnType<typeof testKeys>>;
const extraApps: App[] = [];

beforeAll(async () => {
  t = await seededApp();
  keys = await testKeys(t);
});
afterAll(async () => {
  for (const app of extraApps) await app.close();
  await t.close();
});

/** Another app over the same database, configured as a server would be. */
async function appWith(http: HttpOptions): Promise<App> {
  const app = await buildApp({ database: t.database, http });
  extraApps.push(app);
  return app;
}

describe('security headers', () => {
  it('sends helmet headers on API responses and errors', async () => {
    for (const url of ['/v1/events', '/v1/no-such-route']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
      expect(response.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(response.headers['referrer-policy'], url).toBe('no-referrer');
      expect(response.headers['content-security-policy'], url).toMatch(/default-src 'self'/);
    }
  });

  it('lets Swagger UI run (self-hosted script, inline style) and never upgrades requests to https', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(response.statusCode).toBe(200);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/style-src 'self' 'unsafe-inline'/);
    expect(csp).toMatch(/img-src 'self' data:/);
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
  });
});

describe('CORS', () => {
  it('sends no CORS headers unless origins are configured', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/events', headers: { origin: 'https://anyone.example' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows only the configured origins, preflight included', async () => {
    const app = await appWith({ corsOrigins: ['https://newsroom.example'] });
    const allowed = await app.inject({ method: 'GET', url: '/v1/events', headers: { origin: 'https://newsroom.example' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://newsroom.example');
    expect(String(allowed.headers['access-control-expose-headers'])).toMatch(/ETag/);
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/v1/events',
      headers: { origin: 'https://newsroom.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/Authorization/);
    const other = await app.inject({ method: 'GET', url: '/v1/events', headers: { origin: 'https://elsewhere.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('rate limits', () => {
  it('are off by default, so nothing built without them is refused', async () => {
    const statuses = await Promise.all(Array.from({ length: 30 }, () => t.app.inject({ method: 'GET', url: '/v1/taxonomy/event-types' })));
    expect(statuses.map((r) => r.statusCode)).toEqual(Array(30).fill(200));
    expect(statuses[0].headers['ratelimit-limit']).toBeUndefined();
  });

  it('answer 429 problem+json with Retry-After and RateLimit-* headers past the limit', async () => {
    const app = await appWith({ rateLimit: { max: 3, windowMs: 60_000 } });
    const first = await app.inject({ method: 'GET', url: '/v1/events?limit=1' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['ratelimit-limit']).toBe('3');
    expect(first.headers['ratelimit-remaining']).toBe('2');
    expect(Number(first.headers['ratelimit-reset'])).toBeGreaterThan(0);
    await app.inject({ method: 'GET', url: '/v1/actors?limit=1' });
    await app.inject({ method: 'GET', url: '/v1/statements?limit=1' });
    const refused = await app.inject({ method: 'GET', url: '/v1/events?limit=1' });
    const body = expectProblem(refused, 429);
    expect(body.type).toBe('urn:conflict-ledger:problem:too-many-requests');
    expect(body.detail).toMatch(/at most 3 per 1 minute/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    // Probes are never limited: an orchestrator must see the truth.
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('count each valid API key on its own, and a made-up key against the client address', async () => {
    const app = await appWith({ rateLimit: { max: 2, windowMs: 60_000 } });
    const get = (headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: '/v1/taxonomy/event-types', headers });
    expect([(await get(keys.read)).statusCode, (await get(keys.read)).statusCode, (await get(keys.read)).statusCode]).toEqual([200, 200, 429]);
    // Another key has its own bucket, and so has the anonymous client.
    expect((await get(keys.write)).statusCode).toBe(200);
    expect((await get()).statusCode).toBe(200);
    // Random keys do not buy fresh buckets: they count against the address (then 401).
    expect((await get({ authorization: 'Bearer cl_AAAAAAAA_madeupmadeupmadeupmadeupmadeupmadeupmadeup' })).statusCode).toBe(401);
    expect((await get({ authorization: 'Bearer cl_BBBBBBBB_madeupmadeupmadeupmadeupmadeupmadeupmadeup' })).statusCode).toBe(429);
    expect((await get()).statusCode).toBe(429);
  });

  it('hold across two replicas that share Redis', async () => {
    const options = { rateLimit: { max: 4, windowMs: 60_000, redisUrl: 'redis://127.0.0.1:6379' } };
    const [a, b] = await Promise.all([appWith(options), appWith(options)]);
    // A key of its own, so no other test run shares the Redis counter.
    const key = await t.services.apiKeys.create({ name: `replicas-${Date.now()}`, scopes: ['read'] });
    const headers = { authorization: `Bearer ${key.key}` };
    const statuses: number[] = [];
    for (const app of [a, b, a, b, a, b]) statuses.push((await app.inject({ method: 'GET', url: '/v1/taxonomy/event-types', headers })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('let requests through when Redis is unreachable rather than refuse them', async () => {
    const app = await appWith({ rateLimit: { max: 1, windowMs: 60_000, redisUrl: 'redis://127.0.0.1:1' } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await app.inject({ method: 'GET', url: '/v1/taxonomy/event-types' })).statusCode);
    expect(statuses).toEqual([200, 200, 200]);
  });
});

describe('request bounds', () => {
  it('refuses a body over BODY_LIMIT with 413 problem+json, writing nothing', async () => {
    const app = await appWith({ bodyLimit: 2_000 });
    const before = (await getJson(app, '/v1/actors?limit=1')).body.meta.total;
    const response = await app.inject({
      method: 'POST',
      url: '/v1/actors',
      headers: { ...keys.write, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'Oversized', kind: 'person', notes: 'x'.repeat(5_000) }),
    });
    const body = expectProblem(response, 413);
    expect(body.detail).toMatch(/2000 bytes/);
    expect((await getJson(app, '/v1/actors?limit=1')).body.meta.total).toBe(before);
  });

  it('answers 408 to a client that stalls mid-body, within about REQUEST_TIMEOUT_MS, and closes its socket', async () => {
    const app = await appWith({ requestTimeoutMs: 1_000 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as net.AddressInfo;
    const started = performance.now();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        // Promise 100 bytes, send 10, then say nothing more.
        socket.write(`POST /v1/actors HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":"a`);
      });
      let received = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (received += chunk));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
    });
    const seconds = (performance.now() - started) / 1000;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(seconds).toBeGreaterThanOrEqual(0.9);
    // Node checks every connectionsCheckingInterval (a quarter of the timeout here), not every 30 s.
    expect(seconds).toBeLessThan(10);
  });

  it('answers 503 problem+json with Retry-After while the process is under pressure, probes excepted', async () => {
    // A heap limit of one byte: the process is "under pressure" from the first sample on.
    const app = await appWith({ pressure: { maxHeapUsedBytes: 1 } });
    let response = await app.inject({ method: 'GET', url: '/v1/events' });
    for (let i = 0; i < 40 && response.statusCode !== 503; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      response = await app.inject({ method: 'GET', url: '/v1/events' });
    }
    expectProblem(response, 503);
    expect(response.headers['retry-after']).toBe('10');
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('behind a proxy', () => {
  it('takes the client address from X-Forwarded-For only when the trusted proxy sent it', async () => {
    // As compose runs it: nginx's fixed address is the one proxy trusted. The rate-limit
    // bucket is the client address, so a request's bucket shows which address it got.
    const app = await appWith({ trustProxy: '172.30.80.10', rateLimit: { max: 1, windowMs: 60_000 } });
    const get = (remoteAddress: string, forwardedFor: string) =>
      app.inject({ method: 'GET', url: '/v1/taxonomy/event-types', remoteAddress, headers: { 'x-forwarded-for': forwardedFor } }).then((r) => r.statusCode);

    // A client reaching the app directly cannot pick a fresh address (and bucket) per request.
    expect(await get('203.0.113.7', '198.51.100.1')).toBe(200);
    expect(await get('203.0.113.7', '198.51.100.2')).toBe(429);

    // Through the proxy, each client has its own bucket: the address nginx appended, last.
    expect(await get('172.30.80.10', '198.51.100.3')).toBe(200);
    expect(await get('172.30.80.10', '198.51.100.4')).toBe(200);
    expect(await get('172.30.80.10', '198.51.100.3')).toBe(429);
    // What a client wrote into the header itself (left of nginx's entry) is not believed.
    expect(await get('172.30.80.10', '198.51.100.99, 198.51.100.5')).toBe(200);
    expect(await get('172.30.80.10', '198.51.100.98, 198.51.100.5')).toBe(429);
  });
});

describe('the OpenAPI document', () => {
  it('declares 429 and 503 on every /v1 operation and 413 where a body is taken', async () => {
    const { body: doc } = await getJson(t.app, '/openapi.json');
    let operations = 0;
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
      if (!path.startsWith('/v1/')) continue;
      for (const [method, operation] of Object.entries<any>(item)) {
        operations += 1;
        const where = `${method.toUpperCase()} ${path}`;
        expect(operation.responses['429']?.content?.['application/problem+json'], where).toBeDefined();
        expect(operation.responses['429'].headers['Retry-After'], where).toBeDefined();
        expect(operation.responses['503']?.content?.['application/problem+json'], where).toBeDefined();
        if (operation.requestBody) expect(operation.responses['413']?.content?.['application/problem+json'], where).toBeDefined();
      }
    }
    expect(operations).toBeGreaterThan(20);
  });
});
