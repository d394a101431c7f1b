import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createJsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { PROBLEM_CONTENT_TYPE } from './problem.js';

type OpenApiDocument = ReturnType<typeof jsonSchemaTransformObject>;
type Response = { description?: string; content?: Record<string, unknown>; headers?: Record<string, unknown> };
type Operation = {
  summary?: string;
  requestBody?: { content?: Record<string, { schema?: Record<string, unknown>; example?: unknown }> };
  description?: string;
  parameters?: unknown[];
  security?: Record<string, string[]>[];
  responses?: Record<string, Response>;
};

const TAGS = [
  { name: 'events', description: 'Clashes, explosions, talks, ceasefires and the conflicts that group them.' },
  { name: 'actors', description: 'States, governments, armed forces and groups, organisations and people.' },
  { name: 'statements', description: 'What actors said: accusations, denials, commitments, with verbatim quotes.' },
  { name: 'casualty-reports', description: 'Figures as each reporter gave them. Never summed across reporters.' },
  { name: 'sources', description: 'The documents every record cites, with their full text.' },
  { name: 'statistics', description: 'Event counts over time and casualty figures per group, computed in the database; never summed across reporters.' },
  { name: 'imports', description: 'Bulk loading of ACLED CSV exports and NDJSON events, in batches.' },
  { name: 'changes', description: 'Everything created, updated or deleted, in commit order: for services that sync.' },
  { name: 'taxonomy', description: "ACLED's event taxonomy." },
  { name: 'health', description: 'Liveness and readiness probes.' },
  { name: 'meta', description: 'This API description.' },
];

const ERROR_DESCRIPTIONS: Record<string, string> = {
  '400': 'The request is not valid; `errors` names each bad value.',
  '401': 'No valid API key was sent (see WWW-Authenticate).',
  '403': 'The API key lacks the needed scope, or was revoked.',
  '404': 'No record has this id.',
  '409': 'Conflicts with stored records (an id in use, live records still referring to this one, or a retry still running).',
  '410': 'The record was deleted; its tombstone is in the changes feed.',
  '412': 'If-Match did not match: the record changed since you read it. Nothing was written.',
  '413': 'The request body is larger than the server accepts (BODY_LIMIT).',
  '422': 'The Idempotency-Key was already used for a different request.',
  '429': 'Too many requests for this API key (or client address); retry after Retry-After seconds.',
  '503': 'The database is not reachable, or the server is overloaded; retry after Retry-After seconds.',
};

const RETRY_AFTER = { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } };
const RATE_LIMIT_HEADERS = {
  'Retry-After': RETRY_AFTER,
  'RateLimit-Limit': { description: 'Requests allowed per window.', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'Requests left in this window.', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until the window resets.', schema: { type: 'integer' } },
};

/** The refusals of src/http/hardening.ts, which no route schema declares: 413, 429 and 503. */
function addHardeningResponses(path: string, operation: Operation & { requestBody?: unknown }): void {
  if (!path.startsWith('/v1/')) return;
  const responses = (operation.responses ??= {});
  const problemOf = (status: string, headers?: Record<string, unknown>) => ({
    description: ERROR_DESCRIPTIONS[status],
    ...(headers ? { headers } : {}),
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
  });
  if (operation.requestBody) responses['413'] ??= problemOf('413');
  responses['429'] ??= problemOf('429', RATE_LIMIT_HEADERS);
  responses['503'] ??= problemOf('503', { 'Retry-After': RETRY_AFTER });
}

function refsIn(value: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, found));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string') found.add(v.replace('#/components/schemas/', ''));
      else refsIn(v, found);
    }
  }
  return found;
}

/**
 * The zod transform emits an input and an output variant of every registered schema;
 * keep only the components some operation actually uses, directly or through another.
 */
function pruneComponents(document: OpenApiDocument): void {
  const schemas = (document as { components?: { schemas?: Record<string, Record<string, unknown>> } }).components?.schemas;
  if (!schemas) return;
  const reachable = refsIn(document.paths, new Set());
  for (let grew = true; grew; ) {
    const before = reachable.size;
    for (const name of [...reachable]) refsIn(schemas[name], reachable);
    grew = reachable.size > before;
  }
  for (const [name, schema] of Object.entries(schemas)) {
    if (!reachable.has(name)) delete schemas[name];
    // JSON Schema's document keywords mean nothing inside an OpenAPI component.
    delete schema.$schema;
    delete schema.$id;
  }
}

const problemResponse = (description: string): Response => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** Reads under /v1/ are open unless the server runs with READ_REQUIRES_KEY=true. */
const isKeyableRead = (path: string, method: string) => method === 'get' && path.startsWith('/v1/');

/**
 * What any operation may answer besides what its route declares, so every route (new
 * ones too) documents its failures without per-route work: a problem for any other
 * refusal (rate limits, oversized or malformed requests) and for server failures, and
 * for reads the 401/403 they give when the server requires a key for reads.
 */
function addStandardResponses(path: string, method: string, operation: Operation): void {
  const responses = (operation.responses ??= {});
  if (isKeyableRead(path, method)) {
    responses['401'] ??= problemResponse('Only when the server requires keys for reads (READ_REQUIRES_KEY): no valid API key was sent (see WWW-Authenticate).');
    responses['403'] ??= problemResponse('Only when the server requires keys for reads (READ_REQUIRES_KEY): the API key lacks the read scope, or was revoked.');
  }
  responses['4XX'] ??= problemResponse('Any other refusal, e.g. 429 when rate-limited or 413 when the body is too large: `status` and `detail` say which.');
  responses['5XX'] ??= problemResponse('The server failed; the detail is logged, not sent. 503 when it is overloaded or the database is unreachable.');
}

/**
 * Says who may call each operation: routes that need a key declare their own `security`;
 * reads under /v1/ are open or take a key (needed with READ_REQUIRES_KEY); probes and
 * this document are open to all.
 */
function addSecurity(path: string, method: string, operation: Operation): void {
  if (operation.security) return;
  operation.security = isKeyableRead(path, method) ? [{}, { bearerAuth: [] }] : [];
}

/**
 * Adds what the route schemas cannot say: error bodies are application/problem+json,
 * every GET carries an ETag and answers If-None-Match with 304, every operation has a
 * description, its security and the standard problem responses.
 */
function finishDocument(document: OpenApiDocument): OpenApiDocument {
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item as Record<string, Operation>)) {
      // A route without a description of its own is described by its summary.
      if (!operation.description && operation.summary) operation.description = `${operation.summary}.`;
      addSecurity(path, method, operation);
      addHardeningResponses(path, operation);
      addStandardResponses(path, method, operation);
      // A body taken in several media types can show one example for each.
      // (The media types may share one object: build new ones rather than change it.)
      const content = operation.requestBody?.content ?? {};
      for (const [type, media] of Object.entries(content)) {
        const examples = media.schema?.['x-media-examples'] as Record<string, unknown> | undefined;
        if (!examples) continue;
        const schema = Object.fromEntries(Object.entries(media.schema!).filter(([key]) => key !== 'x-media-examples'));
        content[type] = { ...media, schema, ...(examples[type] !== undefined ? { example: examples[type] } : {}) };
      }
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (Number(status) >= 400 && response.content?.['application/json']) {
          response.content = { [PROBLEM_CONTENT_TYPE]: response.content['application/json'] };
          response.description = ERROR_DESCRIPTIONS[status] ?? response.description;
        }
      }
      const takesFormat = (operation.parameters ?? []).some((p) => (p as { name?: string }).name === 'format');
      const ok = operation.responses?.['200'];
      if (takesFormat && ok?.content) {
        // The export formats a list route streams besides its JSON page.
        ok.content['text/csv'] = { schema: { type: 'string', description: 'RFC 4180 CSV with a header row of snake_case columns.' } };
        ok.content['application/x-ndjson'] = { schema: { type: 'string', description: 'One JSON record a line.' } };
        ok.content['application/geo+json'] = {
          schema: { type: 'object', description: 'An RFC 7946 FeatureCollection: Point [lon, lat] where coordinates are known, null geometry otherwise.' },
        };
      }
      if (method === 'get' && path !== '/openapi.json' && operation.responses?.['200']) {
        operation.responses['200'].headers = {
          ETag: { description: 'Validator of this representation; send it back in If-None-Match.', schema: { type: 'string' } },
        };
        operation.responses['304'] = { description: 'Not modified: the If-None-Match ETag is still current.' };
        operation.parameters = [
          ...(operation.parameters ?? []),
          { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'An ETag from an earlier response.' },
        ];
      }
    }
  }
  pruneComponents(document);
  return document;
}

const openApiRoute: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/openapi.json',
    {
      schema: {
        operationId: 'getOpenApiDocument',
        tags: ['meta'],
        summary: 'This API as an OpenAPI 3.1 document',
        description: 'The document Swagger UI at /docs shows; generate typed clients from it. The committed openapi.json is a copy.',
        response: { 200: z.record(z.string(), z.unknown()) },
      },
    },
    async () => app.swagger() as unknown as Record<string, unknown>,
  );
};

export const openapiPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Conflict Ledger API',
          version: '1.0.0',
          description:
            'Conflict events, the actors in them, the statements officials make and the casualty figures different reporters give, each traced to the verbatim source passage that supports it. Casualty figures from different reporters are never summed.',
          license: { name: 'MIT', identifier: 'MIT' },
          contact: { name: 'Conflict Ledger maintainers' },
        },
        // Relative: the API is wherever this document was fetched from.
        servers: [{ url: '/', description: 'The server that serves this document' }],
        tags: TAGS,
        components: {
          securitySchemes: {
            bearerAuth: {
              type: 'http',
              scheme: 'bearer',
              description: 'An API key: `npm run apikey -- create --name NAME --scopes read,write` prints one. Writes need the write scope.',
            },
          },
        },
      },
      transform: createJsonSchemaTransform({ skipList: ['/docs', '/docs/*', '/docs/json', '/docs/yaml', '/docs/static/*', '/docs/uiConfig', '/docs/initOAuth'] }),
      transformObject: (input) => finishDocument(jsonSchemaTransformObject(input)),
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
    await app.register(openApiRoute);
  },
  { name: 'openapi' },
);
