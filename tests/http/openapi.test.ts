import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { getJson, seededApp, type TestApp } from '../helpers/app.js';
import { EVENT_EXAMPLE } from '../../src/modules/events/events.examples.js';
import { ACTOR_EXAMPLE } from '../../src/modules/actors/actors.examples.js';
import { STATEMENT_EXAMPLE } from '../../src/modules/statements/statements.examples.js';
import { CASUALTY_REPORT_EXAMPLE } from '../../src/modules/casualty-reports/casualty-reports.examples.js';
import { SOURCE_EXAMPLE } from '../../src/modules/sources/sources.examples.js';
import { EXPLORER_PATHS } from '../../src/modules/explorer/explorer.routes.js';

let t: TestApp;
let doc: any;
beforeAll(async () => {
  t = await seededApp();
  doc = (await getJson(t.app, '/openapi.json')).body;
});
afterAll(() => t.close());

type Operation = { operationId?: string; tags?: string[]; summary?: string; responses: Record<string, any>; parameters?: any[] };

function operations(): [string, string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(([method, op]) => [method, path, op] as [string, string, Operation]),
  );
}

/** The explorer page (`/` and its files) is for people, not part of the API. */
function isExplorerPath(path: string): boolean {
  return EXPLORER_PATHS.includes(path) || path === '/explorer/' || path.startsWith('/explorer/');
}

/**
 * Every route the app serves, rebuilt from Fastify's printed route tree (each line is a
 * path segment under its parent), less HEAD twins and Swagger UI's own files.
 */
function servedRoutes(): string[] {
  const routes: string[] = [];
  const segments: string[] = [];
  for (const line of t.app.printRoutes().split('\n')) {
    const branch = line.indexOf('── ');
    if (branch < 0) continue;
    const depth = Math.floor(branch / 4);
    const match = line.slice(branch + 3).match(/^(\S*)(?: \(([^)]+)\))?/);
    if (!match) continue;
    segments[depth] = match[1];
    segments.length = depth + 1;
    if (!match[2]) continue;
    const path = segments.join('');
    for (const method of match[2].split(',').map((m) => m.trim())) {
      // /metrics is for Prometheus, not API clients: hidden on purpose (src/http/observability.ts).
      if (method === 'HEAD' || path.startsWith('/docs') || path === '/metrics' || isExplorerPath(path)) continue;
      routes.push(`${method.toLowerCase()} ${path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return routes.sort();
}

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBeTruthy();
  });

  it('documents every route the app serves, and nothing else', () => {
    const documented = operations().map(([method, path]) => `${method} ${path}`).sort();
    expect(documented).toEqual(servedRoutes());
    expect(documented).toContain('get /v1/events/{id}/casualties');
  });

  it('gives every operation a unique operationId, declared tags and a summary', () => {
    const declared = new Set(doc.tags.map((tag: { name: string }) => tag.name));
    const ids = operations().map(([, , op]) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [method, path, op] of operations()) {
      expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op.summary, `${method} ${path}`).toBeTruthy();
      expect(op.tags?.length, `${method} ${path}`).toBeGreaterThan(0);
      for (const tag of op.tags ?? []) expect(declared.has(tag)).toBe(true);
    }
  });

  it('documents 4xx responses as application/problem+json', () => {
    for (const [method, path, op] of operations()) {
      const hasQuery = (op.parameters ?? []).some((p) => p.in === 'query' || p.in === 'path');
      if (hasQuery) expect(Object.keys(op.responses), `${method} ${path}`).toContain('400');
      if (path.includes('{id}')) expect(Object.keys(op.responses), `${method} ${path}`).toContain('404');
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400) {
          expect(Object.keys(response.content), `${method} ${path} ${status}`).toEqual(['application/problem+json']);
          expect(response.content['application/problem+json'].schema.$ref).toBe('#/components/schemas/Problem');
        }
      }
    }
  });

  it('shows examples that are the seeded records as the API returns them', async () => {
    const cases: [string, string, any][] = [
      ['Event', '/v1/events/', EVENT_EXAMPLE],
      ['Actor', '/v1/actors/', ACTOR_EXAMPLE],
      ['Statement', '/v1/statements/', STATEMENT_EXAMPLE],
      ['CasualtyReport', '/v1/casualty-reports/', CASUALTY_REPORT_EXAMPLE],
      ['Source', '/v1/sources/', SOURCE_EXAMPLE],
    ];
    const withoutTimestamps = (record: any) => JSON.parse(JSON.stringify(record, (k, v) => (k === 'created_at' || k === 'updated_at' ? undefined : v)));
    for (const [component, route, example] of cases) {
      expect(doc.components.schemas[component].examples).toEqual([example]);
      const { status, body } = await getJson(t.app, `${route}${example.id}`);
      expect(status).toBe(200);
      expect(withoutTimestamps(body)).toEqual(withoutTimestamps(example));
    }
  });
});

describe('responses match the documented schemas', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  let registered = false;

  function validatorFor(path: string, status: string) {
    if (!registered) {
      for (const [name, schema] of Object.entries(doc.components.schemas)) ajv.addSchema(schema as object, `#/components/schemas/${name}`);
      registered = true;
    }
    const operation = doc.paths[path].get;
    const content = operation.responses[status].content;
    const schema = (content['application/json'] ?? content['application/problem+json']).schema;
    return ajv.compile(schema);
  }

  it.each([
    ['/v1/events', '/v1/events?include=participants,casualty_reports,statements,children'],
    ['/v1/events/{id}', '/v1/events/evt_istanbul_talks?include=participants,casualty_reports,statements,children'],
    ['/v1/events/{id}/casualties', '/v1/events/evt_afghanistan_pakistan_border_conflict/casualties'],
    ['/v1/actors', '/v1/actors?include=events,children'],
    ['/v1/actors/{id}', '/v1/actors/act_attaullah_tarar?include=events,statements_made,statements_targeting,children'],
    ['/v1/statements', '/v1/statements'],
    ['/v1/statements/{id}', '/v1/statements/stm_pakistan_submitted_demands_to_mediators'],
    ['/v1/casualty-reports', '/v1/casualty-reports'],
    ['/v1/casualty-reports/{id}', '/v1/casualty-reports/cas_kabul_explosion_deaths'],
    ['/v1/sources', '/v1/sources'],
    ['/v1/sources/{id}', '/v1/sources/src_toutiao_7570382530332770879?include=text,events,statements,casualty_reports'],
    ['/v1/taxonomy/event-types', '/v1/taxonomy/event-types'],
    ['/healthz', '/healthz'],
    ['/readyz', '/readyz'],
  ])('%s answers %s as documented', async (path, url) => {
    const { status, body } = await getJson(t.app, url);
    expect(status).toBe(200);
    const validate = validatorFor(path, '200');
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['/v1/events', '/v1/events?country=nowhere', '400'],
    ['/v1/events/{id}', '/v1/events/evt_missing', '404'],
    ['/v1/sources/{id}', '/v1/sources/src_missing?include=text', '404'],
  ])('%s answers %s with a documented problem', async (path, url, status) => {
    const response = await getJson(t.app, url);
    expect(String(response.status)).toBe(status);
    const validate = validatorFor(path, status);
    expect(validate(response.body), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('GET /docs', () => {
  it('serves Swagger UI from the app itself', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('swagger-ui');
    expect(page.body).not.toMatch(/https?:\/\/(?!localhost)[^"']*\.(js|css)/);
  });
});
