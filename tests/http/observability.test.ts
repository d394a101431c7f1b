import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { getJson, seededApp, type TestApp } from '../helpers/app.js';
import { provider } from '../helpers/databases.js';
import { NEW_ACTOR_EXAMPLE } from '../../src/modules/actors/actors.examples.js';

// What an operator sees: request ids on every response and log line, logs that never hold
// a credential (captured at trace level, the most talkative), and Prometheus metrics.

let t: TestApp;
let logged: App;
const lines: string[] = [];
let writeKey: string;

beforeAll(async () => {
  t = await seededApp();
  writeKey = (await t.services.apiKeys.create({ name: 'log-watcher', scopes: ['read', 'write'] })).key;
  logged = await buildApp({ database: t.database, logger: { level: 'trace', stream: { write: (line: string) => void lines.push(line) } } });
});
afterAll(async () => {
  await logged?.close();
  await t.close();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request ids', () => {
  it('returns the caller\'s X-Request-Id when it is a sane token, on success and on error', async () => {
    for (const url of ['/v1/events?limit=1', '/v1/events/evt_nope', '/v1/events?bogus=1', '/nowhere']) {
      const response = await t.app.inject({ method: 'GET', url, headers: { 'x-request-id': 'trace-4711.abc' } });
      expect(response.headers['x-request-id'], url).toBe('trace-4711.abc');
    }
  });

  it('makes one up when none is sent or the one sent is not a sane token', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(none.headers['x-request-id']).toMatch(UUID);
    for (const bad of ['has spaces in it', 'x'.repeat(300), '<script>', 'a"b']) {
      const response = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': bad } });
      expect(response.headers['x-request-id'], bad).toMatch(UUID);
    }
    const a = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(a.headers['x-request-id']).not.toBe(none.headers['x-request-id']);
  });
});

describe('logs', () => {
  it('carry the request id on every line of a request and never a key, cookie or idempotency key', async () => {
    lines.length = 0;
    const idempotencyKey = 'idem-secret-0b9f7c1e';
    const cookie = 'session=cookie-secret-77aa';
    const made = await logged.inject({
      method: 'POST',
      url: '/v1/actors',
      headers: { authorization: `Bearer ${writeKey}`, 'idempotency-key': idempotencyKey, cookie, 'x-api-key': writeKey, 'x-request-id': 'log-test-1' },
      payload: { ...NEW_ACTOR_EXAMPLE, name: 'Logged actor' },
    });
    expect(made.statusCode).toBe(201);
    const badKey = `${writeKey.slice(0, -4)}AAAA`;
    const refused = await logged.inject({ method: 'GET', url: '/v1/events', headers: { authorization: `Bearer ${badKey}`, 'x-request-id': 'log-test-2' } });
    expect(refused.statusCode).toBe(401);

    const output = lines.join('');
    expect(lines.length).toBeGreaterThan(3);
    for (const secret of [writeKey, badKey, writeKey.split('_')[2], idempotencyKey, 'cookie-secret-77aa']) expect(output).not.toContain(secret);
    expect(output).toContain('[redacted]');

    const entries = lines.map((line) => JSON.parse(line));
    const ofRequests = entries.filter((e) => e.req || e.res);
    expect(ofRequests.length).toBeGreaterThanOrEqual(4);
    for (const entry of ofRequests) expect(['log-test-1', 'log-test-2']).toContain(entry.reqId);
  });
});

describe('GET /metrics', () => {
  it('serves Prometheus text: requests by route template and status, durations, query timings, process metrics', async () => {
    await t.app.inject({ method: 'GET', url: '/v1/events/evt_istanbul_talks' });
    await t.app.inject({ method: 'GET', url: '/v1/events/evt_nope' });
    await t.app.inject({ method: 'GET', url: '/v1/no-such-thing/42' });
    const response = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.body;
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/v1\/events\/:id",status_code="200"\} [1-9]/m);
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/v1\/events\/:id",status_code="404"\} [1-9]/m);
    // An unknown path counts as unmatched, not as a series of its own.
    expect(text).toMatch(/^http_requests_total\{method="GET",route="unmatched",status_code="404"\} [1-9]/m);
    expect(text).not.toContain('no-such-thing');
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="0\.1",method="GET",route="\/v1\/events\/:id",status_code="200"\} \d+/m);
    expect(text).toMatch(/^db_query_duration_seconds_count\{model="Event",operation="\w+",outcome="ok"\} [1-9]/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    if (provider === 'postgresql') expect(text).toMatch(/^db_pool_connections\{state="total"\} [1-9]/m);
    else expect(text).not.toMatch(/^db_pool_connections\{/m);
  });

  it('is not part of the API description', async () => {
    const { body: doc } = await getJson(t.app, '/openapi.json');
    expect(Object.keys(doc.paths)).not.toContain('/metrics');
  });
});
