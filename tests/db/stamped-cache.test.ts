import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestRevision, StampedCache } from '../../src/db/stamped-cache.js';
import { NEW_ACTOR_EXAMPLE } from '../../src/modules/actors/actors.examples.js';
import { seededApp, type TestApp } from '../helpers/app.js';
import { testKeys } from '../helpers/keys.js';

// The cache behind slow counts and statistics, stamped by the real database's last
// revision. Concurrent requests for the same slow answer share one computation: on
// PostgreSQL at a million events, ten clients asking for casualty statistics at once each
// held a pool connection for the same query, and every other request timed out waiting.

let t: TestApp;
beforeAll(async () => {
  t = await seededApp();
});
afterAll(() => t.close());

/** A slow computation over the real database that counts how often it runs. */
function slowCount() {
  const calls = { n: 0 };
  const compute = async () => {
    calls.n += 1;
    const events = await t.database.prisma.event.count();
    await sleep(40);
    return events + calls.n * 1000;
  };
  return { calls, compute };
}

describe('StampedCache', () => {
  it('computes a question asked ten times at once only once, and gives all ten its answer', async () => {
    const cache = new StampedCache<number>(() => latestRevision(t.database.prisma, t.database.provider));
    const { calls, compute } = slowCount();
    const answers = await Promise.all(Array.from({ length: 10 }, () => cache.get('events', compute)));
    expect(calls.n).toBe(1);
    expect(new Set(answers).size).toBe(1);
    // Another question is its own computation; the first is now kept.
    const other = slowCount();
    await Promise.all([cache.get('other', other.compute), cache.get('events', compute)]);
    expect(other.calls.n).toBe(1);
    expect(calls.n).toBe(1);
  });

  it('computes again after a write commits, and shares a failure without keeping it', async () => {
    const cache = new StampedCache<number>(() => latestRevision(t.database.prisma, t.database.provider));
    const { calls, compute } = slowCount();
    const before = await cache.get('events', compute);
    const keys = await testKeys(t);
    const created = await t.app.inject({ method: 'POST', url: '/v1/actors', payload: { ...NEW_ACTOR_EXAMPLE, name: 'Cache probe' }, headers: keys.write });
    expect(created.statusCode).toBe(201);
    const after = await cache.get('events', compute);
    expect(calls.n).toBe(2);
    expect(after).not.toBe(before);

    let failures = 0;
    const failing = async () => {
      failures += 1;
      await sleep(30);
      throw new Error('database went away');
    };
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => cache.get('broken', failing)));
    expect(results.map((r) => r.status)).toEqual(Array(5).fill('rejected'));
    expect(failures).toBe(1);
    await expect(cache.get('broken', failing)).rejects.toThrow('database went away');
    expect(failures).toBe(2);
  });
});
