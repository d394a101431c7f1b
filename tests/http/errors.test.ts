import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededApp, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/problems.js';
import { testKeys } from '../helpers/keys.js';

let t: TestApp;
beforeAll(async () => {
  t = await seededApp();
});
afterAll(() => t.close());

describe('errors are RFC 9457 problems', () => {
  it('answers an unknown route with a 404 problem', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/nothing-here?x=1' });
    expectProblem(response, 404);
    expect(response.json()).toEqual({
      type: 'urn:conflict-ledger:problem:not-found',
      title: 'Not found',
      status: 404,
      detail: 'There is no route GET /v1/nothing-here.',
      instance: '/v1/nothing-here?x=1',
    });
  });

  it('names every invalid value of a request at once', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/statements?kind=rumour&from=yesterday&colour=red' });
    expect(response.statusCode).toBe(400);
    const paths = response.json().errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['query.colour', 'query.from', 'query.kind.0']);
    expect(response.json().detail).toContain('query.kind.0');
  });

  it('refuses a NUL character anywhere, naming where, before the database sees it', async () => {
    // PostgreSQL cannot hold U+0000 in text; both databases answer the same 400.
    const keys = await testKeys(t);
    const inQuery = await t.app.inject({ method: 'GET', url: '/v1/statements?speaker=%00&kind=commitment' });
    expectProblem(inQuery, 400);
    expect(inQuery.json().errors).toEqual([{ path: 'query.speaker', message: 'must not contain a NUL character (U+0000)' }]);

    const inPath = await t.app.inject({ method: 'GET', url: '/v1/actors/act_ttp%00' });
    expectProblem(inPath, 400);
    expect(inPath.json().errors[0].path).toBe('path.id');

    const before = await t.database.prisma.actor.count();
    const body = { name: 'Nul\u0000Front', kind: 'armed_group', aliases: [{ alias: 'ok' }] };
    const withoutKey = await t.app.inject({ method: 'POST', url: '/v1/actors', payload: body });
    expect(withoutKey.statusCode).toBe(401);
    const inBody = await t.app.inject({ method: 'POST', url: '/v1/actors', headers: keys.write, payload: body });
    expectProblem(inBody, 400);
    expect(inBody.json().errors).toEqual([{ path: 'body.name', message: 'must not contain a NUL character (U+0000)' }]);
    expect(await t.database.prisma.actor.count()).toBe(before);
  });

  it('hides internal details of a 5xx', async () => {
    // A real fault: the statements table disappears under the running app.
    await t.database.prisma.$executeRawUnsafe('DROP TABLE statement_targets');
    const response = await t.app.inject({ method: 'GET', url: '/v1/statements' });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem).toMatchObject({ status: 500, title: 'Internal server error', instance: '/v1/statements' });
    expect(response.body).not.toMatch(/statement_targets|prisma|sqlite|postgres|stack|at \w+ \(/i);
  });
});
