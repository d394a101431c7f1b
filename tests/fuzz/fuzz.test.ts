import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededApp, type TestApp } from '../helpers/app.js';
import { testKeys } from '../helpers/keys.js';
import { fuzzApi } from './openapi-fuzz.js';

// The short form of `npm run fuzz`: a few thousand generated requests across every
// operation of the OpenAPI document (FUZZ_RUNS per operation). The suite uses a fixed seed so
// CI is repeatable; FUZZ_SEED picks another, and `npm run fuzz` draws a fresh one each run.

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const TIMEOUT = Number(process.env.FUZZ_TIMEOUT_MS ?? 300_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20251107);

let t: TestApp;
let keys: Awaited<ReturnType<typeof testKeys>>;
beforeAll(async () => {
  t = await seededApp();
  keys = await testKeys(t);
});
afterAll(() => t.close());

describe('the API under generated requests', () => {
  it('never fails, leaks or strays from its documented contract', async () => {
    const report = await fuzzApi(
      { app: t.app, database: t.database, writeKey: keys.write.authorization.slice(7), readKey: keys.read.authorization.slice(7) },
      { runs: RUNS, seed: SEED },
    );
    console.log(`fuzz: ${report.cases} requests over ${report.operations} operations (seed ${report.seed}): ${JSON.stringify(report.statuses)}`);
    expect(report.operations).toBeGreaterThanOrEqual(38);
    expect(report.cases).toBe(report.operations * RUNS);
    // The generators reach past validation, not only into it.
    expect(Object.keys(report.statuses)).toEqual(expect.arrayContaining(['200', '400', '401', '404']));
  }, TIMEOUT);
});
