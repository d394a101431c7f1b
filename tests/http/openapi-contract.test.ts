import { readFileSync } from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openapiPlugin } from '../../src/http/openapi.js';
import { ProblemSchema } from '../../src/http/schemas.js';
import { seededApp, type TestApp } from '../helpers/app.js';

// The committed openapi.json is the contract clients integrate against: it must be exactly
// what the app serves, so a changed contract is always a deliberate commit.

const committedFile = path.resolve(import.meta.dirname, '..', '..', 'openapi.json');
const STALE = 'openapi.json differs from the document the app serves: run npm run openapi:export and commit';

let t: TestApp;
let served: string;
beforeAll(async () => {
  t = await seededApp();
  served = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).body;
});
afterAll(() => t.close());

/** JSON pointers where two documents differ, at most `limit` of them. */
function differences(a: unknown, b: unknown, at = '', found: string[] = [], limit = 15): string[] {
  if (found.length >= limit) return found;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) {
      differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, found, limit);
    }
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    found.push(`${at || '/'}: committed ${JSON.stringify(a)?.slice(0, 80) ?? 'nothing'}, served ${JSON.stringify(b)?.slice(0, 80) ?? 'nothing'}`);
  }
  return found;
}

describe('the committed OpenAPI document', () => {
  it('is exactly the document the app serves', () => {
    const committed = readFileSync(committedFile, 'utf8');
    const servedDocument = JSON.parse(served) as unknown;
    const changed = differences(JSON.parse(committed), servedDocument);
    expect(changed, `${STALE}. Where they differ:\n  ${changed.join('\n  ')}\n`).toEqual([]);
    // Same content, and the same bytes: export writes 2-space JSON with a final newline.
    expect(committed === `${JSON.stringify(servedDocument, null, 2)}\n`, `${STALE} (same content, different formatting)`).toBe(true);
  });

  it('lets the differences name what changed, so the failure says what to look at', () => {
    const document = JSON.parse(served) as { info: { version: string }; paths: Record<string, unknown> };
    const changed = structuredClone(document);
    changed.info.version = '9.9.9';
    delete changed.paths['/healthz'];
    expect(differences(document, changed)).toEqual([
      '/info/version: committed "1.0.0", served "9.9.9"',
      expect.stringMatching(/^\/paths\/~1healthz: committed \{.*, served nothing$/),
    ]);
  });
});

describe('a route added later', () => {
  it('gets a description, its security and the standard problem responses without per-route work', async () => {
    const app = Fastify().withTypeProvider<ZodTypeProvider>();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    await app.register(openapiPlugin);
    const schema = { tags: ['events'], response: { 200: z.object({ total: z.number() }), 400: ProblemSchema } };
    app.get('/v1/statistics/events', { schema: { ...schema, operationId: 'getEventStatistics', summary: 'Count events' } }, async () => ({ total: 1 }));
    app.post('/v1/imports', { schema: { ...schema, operationId: 'createImport', summary: 'Import', security: [{ bearerAuth: [] }] } }, async () => ({ total: 1 }));
    await app.ready();
    const paths = (app.swagger() as { paths: Record<string, Record<string, any>> }).paths;
    await app.close();

    const read = paths['/v1/statistics/events'].get;
    expect(read.description).toBe('Count events.');
    expect(read.security).toEqual([{}, { bearerAuth: [] }]);
    expect(Object.keys(read.responses).sort()).toEqual(['200', '304', '400', '401', '403', '429', '4XX', '503', '5XX']);
    for (const status of ['400', '401', '403', '429', '4XX', '503', '5XX']) {
      expect(read.responses[status].content, status).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });
    }
    const write = paths['/v1/imports'].post;
    expect(write.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(write.responses).sort()).toEqual(['200', '400', '429', '4XX', '503', '5XX']);
    // Probes and the document itself are open to everyone.
    expect(paths['/openapi.json'].get.security).toEqual([]);
  });
});
