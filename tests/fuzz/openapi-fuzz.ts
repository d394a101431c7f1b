import fc from 'fast-check';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { App } from '../../src/app.js';
import type { Database } from '../../src/db/prisma.js';
import { NEW_ACTOR_EXAMPLE } from '../../src/modules/actors/actors.examples.js';
import { NEW_CASUALTY_REPORT_EXAMPLE } from '../../src/modules/casualty-reports/casualty-reports.examples.js';
import { NEW_EVENT_EXAMPLE } from '../../src/modules/events/events.examples.js';
import { NEW_SOURCE_EXAMPLE } from '../../src/modules/sources/sources.examples.js';
import { NEW_STATEMENT_EXAMPLE } from '../../src/modules/statements/statements.examples.js';

// Property-based fuzzing driven by the OpenAPI document the app serves: for every
// operation, requests with generated path parameters, query strings, headers and bodies,
// valid and hostile alike, with and without a write key. Whatever is sent:
//   - the answer is never a 5xx;
//   - it never shows a stack trace, a file path or a database message;
//   - its status is documented for the operation, and its body is valid against the
//     documented schema;
//   - a rejected request writes nothing (the revision sequence does not move);
//   - no prototype is polluted.

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header';
  schema?: Schema;
}
interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface FuzzTarget {
  app: App;
  database: Database;
  /** Authorization header values. */
  writeKey: string;
  readKey: string;
}

export interface FuzzOptions {
  /** Cases per operation. */
  runs: number;
  seed?: number;
  /** Only operations whose id matches. */
  only?: RegExp;
}

export interface FuzzReport {
  operations: number;
  cases: number;
  statuses: Record<string, number>;
  seed: number;
}

// Strings that have broken servers before: injection, traversal, encodings, control
// characters, prototype keys, numbers that are not numbers.
const NASTY = [
  "' OR '1'='1",
  "1; DROP TABLE events; --",
  '") OR 1=1 --',
  '\u0000',
  'a\u0000b',
  '__proto__',
  'constructor',
  'prototype',
  '{"$ne":null}',
  '../../../../etc/passwd',
  '%00',
  '%',
  '_',
  '\\',
  '*',
  '"*"',
  'NEAR(',
  'a:* & !b | (c',
  '😀🇦🇫',
  '\uFEFF',
  '\uD800',
  'ﷺ',
  'Kābul',
  '${7*7}',
  '<script>alert(1)</script>',
  '1e309',
  '-0',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
  ' ',
  '',
  '9'.repeat(40),
  '-1',
  '2025-02-30',
  '0000-00-00',
  'AFG,PAK,,',
  ',',
];

const nasty = fc.constantFrom(...NASTY);
const hostileString = fc.oneof(
  { weight: 4, arbitrary: nasty },
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 300, maxLength: 3000 }) },
  { weight: 1, arbitrary: fc.constant('x'.repeat(20_000)) },
);

/** A value a client could plausibly mean for a parameter's schema, or a hostile one. */
function valueFor(schema: Schema | undefined): fc.Arbitrary<string> {
  const plausible: fc.Arbitrary<string>[] = [];
  const items = (schema?.items as Schema | undefined) ?? schema;
  const values = (items?.enum as string[] | undefined) ?? [];
  if (values.length > 0) {
    plausible.push(fc.constantFrom(...values));
    plausible.push(fc.subarray(values, { minLength: 1 }).map((list) => list.join(',')));
  }
  if (schema?.type === 'integer' || schema?.type === 'number') plausible.push(fc.integer({ min: -5, max: 2000 }).map(String));
  if (schema?.format === 'date' || /date/i.test(String(schema?.description ?? ''))) {
    plausible.push(fc.date({ min: new Date('1990-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
  }
  plausible.push(fc.constantFrom('AFG', 'PAK', 'istanbul', 'kab tal', 'evt_istanbul_talks', 'act_ttp', 'month', 'country', 'true', '10'));
  return fc.oneof({ weight: 3, arbitrary: fc.oneof(...plausible) }, { weight: 2, arbitrary: hostileString });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Percent-encodes any string; a lone surrogate (no UTF-8 form) becomes an invalid UTF-8 sequence. */
function encode(value: string): string {
  return encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD')) + (LONE_SURROGATE.test(value) ? '%ED%A0%80' : '');
}

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', '__proto__[polluted]', 'constructor[prototype][polluted]', 'a[b][c]', ''];

function queryFor(parameters: Parameter[]): fc.Arbitrary<string> {
  const query = parameters.filter((p) => p.in === 'query');
  const pairs = fc.array(
    fc.oneof(
      { weight: 6, arbitrary: query.length > 0 ? fc.constantFrom(...query).chain((p) => valueFor(p.schema).map((v) => [p.name, v] as const)) : fc.constant(['x', '1'] as const) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...PROTO_KEYS), hostileString) },
      { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), hostileString) },
    ),
    { maxLength: 6 },
  );
  return pairs.map((list) => list.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&'));
}

const KNOWN_IDS = [
  'evt_istanbul_talks',
  'evt_afghanistan_pakistan_border_conflict',
  'act_ttp',
  'act_pakistan_government',
  'src_toutiao_7570382530332770879',
];
// Never empty: `/v1/events/` is the list route (trailing slashes are ignored), not getEvent
// with a blank id, so an empty segment would test another operation against this one's schema.
const pathValue = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...KNOWN_IDS) },
  { weight: 3, arbitrary: hostileString.filter((value) => value.length > 0) },
);

const EXAMPLES: Record<string, object> = {
  '/v1/events': NEW_EVENT_EXAMPLE,
  '/v1/actors': NEW_ACTOR_EXAMPLE,
  '/v1/statements': NEW_STATEMENT_EXAMPLE,
  '/v1/casualty-reports': NEW_CASUALTY_REPORT_EXAMPLE,
  '/v1/sources': NEW_SOURCE_EXAMPLE,
};

/** Hostile JSON values: deep nesting, prototype keys, huge and odd scalars. */
const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  nasty,
  fc.constant(JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}')),
  fc.integer({ min: 1, max: 400 }).map((depth) => JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth))),
  fc.constantFrom(Number.MAX_SAFE_INTEGER * 1000, -1, 0.5, 1e308, true, null, [], {}),
);

/** A documented example with some of its fields removed, replaced or added. */
function mutated(example: object): fc.Arbitrary<unknown> {
  const keys = Object.keys(example);
  return fc
    .array(
      fc.oneof(
        fc.constantFrom(...keys).map((k) => ({ k, drop: true as const })),
        fc.tuple(fc.constantFrom(...keys, ...PROTO_KEYS, 'id', 'version', 'deleted_at'), hostileJson).map(([k, v]) => ({ k, v })),
      ),
      { maxLength: 3 },
    )
    .map((changes) => {
      const copy: Record<string, unknown> = JSON.parse(JSON.stringify(example));
      for (const change of changes) {
        if ('drop' in change) delete copy[change.k];
        else Object.defineProperty(copy, change.k, { value: change.v, enumerable: true, writable: true, configurable: true });
      }
      return copy;
    });
}

function bodyFor(path: string): fc.Arbitrary<string> {
  const example = EXAMPLES[path.replace('/{id}', '')];
  const json = example ? fc.oneof(mutated(example), hostileJson) : hostileJson;
  return fc.oneof(
    { weight: 6, arbitrary: json.map((value) => JSON.stringify(value) ?? 'null') },
    { weight: 1, arbitrary: fc.constantFrom('{', '{"title": "\u0000', '[[[[[[[[[[', '\u0000', '', 'null', '{"a":1,"a":2}') },
    { weight: 1, arbitrary: fc.constant('['.repeat(10_000) + ']'.repeat(10_000)) },
    { weight: 1, arbitrary: hostileString },
  );
}

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

function requestFor(target: FuzzTarget, path: string, method: string, operation: Operation): fc.Arbitrary<FuzzRequest> {
  const parameters = operation.parameters ?? [];
  const hasBody = Boolean(operation.requestBody);
  return fc
    .record({
      id: pathValue,
      query: queryFor(parameters),
      auth: fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 4, arbitrary: fc.constant(`Bearer ${target.writeKey}`) },
        { weight: 1, arbitrary: fc.constant(`Bearer ${target.readKey}`) },
        { weight: 1, arbitrary: fc.constantFrom('Bearer cl_nonsense', 'Basic YTpi', 'Bearer ', `Bearer ${target.writeKey}x`) },
      ),
      accept: optional(fc.constantFrom('application/json', 'text/csv', 'application/x-ndjson', 'application/geo+json', '*/*', 'application/xml', 'text/html;q=0.1')),
      contentType: fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'),
      requestId: optional(hostileString),
      ifMatch: optional(fc.oneof(fc.constant('*'), hostileString, fc.constant('"1-abc"'))),
      idempotencyKey: optional(hostileString),
      body: hasBody ? bodyFor(path) : fc.constant(undefined),
    })
    .map((r) => {
      const headers: Record<string, string> = {};
      const safe = (value: string) => value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?'); // what an HTTP header can carry
      if (r.auth) headers.authorization = r.auth;
      if (r.accept) headers.accept = r.accept;
      if (r.requestId !== undefined) headers['x-request-id'] = safe(r.requestId).slice(0, 1000);
      if (r.ifMatch !== undefined) headers['if-match'] = safe(r.ifMatch).slice(0, 1000);
      if (r.idempotencyKey !== undefined) headers['idempotency-key'] = safe(r.idempotencyKey).slice(0, 1000);
      if (hasBody) headers['content-type'] = r.contentType;
      const url = `${path.replace('{id}', encode(r.id))}${r.query ? `?${r.query}` : ''}`;
      return { method: method.toUpperCase(), url, headers, payload: r.body };
    });
}

// What must never reach a client: stack frames, file paths, driver and ORM messages.
const LEAKS = /\n\s+at |node_modules|\/src\/|\.ts:\d+|prisma|SQLITE_|sqlite3?|syntax error|ERROR:|TypeError|ReferenceError|RangeError|Cannot read prop|undefined is not|pg_|relation "/i;

/**
 * The body without what the client sent and the answer may rightly echo: a problem's
 * `instance` (the request path, re-encoded) and the query's parameter names and values, as
 * JSON writes them. A leak check that saw the client's own "pg_" would blame the server.
 */
function withoutEchoes(body: string, url: string): string {
  let rest = body;
  try {
    const problem = JSON.parse(body) as unknown;
    if (problem && typeof problem === 'object' && 'instance' in problem) rest = JSON.stringify({ ...problem, instance: undefined });
  } catch {
    // Not JSON: checked as it is.
  }
  const sent = [...new URL(url, 'http://fuzz').searchParams].flat().filter((text) => text.length >= 3);
  return sent.reduce((text, echo) => text.replaceAll(JSON.stringify(echo).slice(1, -1), ''), rest);
}

/** The document with no property required: what a `fields=` projection may leave out. */
function withoutRequired<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (key, v) => (key === 'required' && Array.isArray(v) ? undefined : v));
}

function responseValidators(document: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: 'openapi.json', components: document.components ?? {} });
  const cache = new Map<string, ValidateFunction>();
  const rewrite = (schema: unknown): unknown =>
    JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/'));
  return (key: string, schema: Schema) => {
    let validate = cache.get(key);
    if (!validate) {
      validate = ajv.compile(rewrite(schema) as object);
      cache.set(key, validate);
    }
    return validate;
  };
}

async function revisionHead(database: Database): Promise<number> {
  return (await database.prisma.revision.aggregate({ _max: { seq: true } }))._max.seq ?? 0;
}

export async function fuzzApi(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const document = (await target.app.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApiDocument;
  const validator = responseValidators(document);
  // `fields=a,b` answers only id and those fields (the parameter says so): a projection is
  // checked against the same schemas with no property required.
  const projected = responseValidators(withoutRequired(document));
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const report: FuzzReport = { operations: 0, cases: 0, statuses: {}, seed };

  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const name = operation.operationId ?? `${method} ${path}`;
      if (options.only && !options.only.test(name)) continue;
      report.operations += 1;
      await fc.assert(
        fc.asyncProperty(requestFor(target, path, method, operation), async (request) => {
          const before = await revisionHead(target.database);
          const response = await target.app.inject(request);
          report.cases += 1;
          report.statuses[response.statusCode] = (report.statuses[response.statusCode] ?? 0) + 1;
          const where = `${name}: ${request.method} ${request.url.slice(0, 300)} -> ${response.statusCode}`;

          if (response.statusCode >= 500) throw new Error(`${where}: a server error\n${response.body.slice(0, 500)}`);
          if (LEAKS.test(withoutEchoes(response.body, request.url)) && !isDataResponse(response.statusCode)) {
            throw new Error(`${where}: the answer shows an internal detail\n${response.body.slice(0, 500)}`);
          }
          const documented = operation.responses[String(response.statusCode)] ?? operation.responses[`${String(response.statusCode)[0]}XX`];
          if (!documented) throw new Error(`${where}: status not documented`);
          const type = String(response.headers['content-type'] ?? '').split(';')[0];
          if (response.statusCode >= 400 && type !== 'application/problem+json') throw new Error(`${where}: an error that is not problem+json (${type})`);
          const schema = documented.content?.[type]?.schema;
          if (schema && response.body && /^application\/(.+\+)?json$/.test(type)) {
            const projection = response.statusCode < 300 && /(^|[?&])fields=/.test(request.url);
            const validate = (projection ? projected : validator)(`${name} ${response.statusCode} ${type}`, projection ? withoutRequired(schema) : schema);
            if (!validate(response.json())) {
              throw new Error(`${where}: body does not match the documented schema: ${JSON.stringify(validate.errors?.slice(0, 3))}\n${response.body.slice(0, 300)}`);
            }
          } else if (response.body && documented.content && !documented.content[type] && response.statusCode !== 304) {
            throw new Error(`${where}: content type ${type} not documented`);
          }
          if (response.statusCode >= 400 && (await revisionHead(target.database)) !== before) {
            throw new Error(`${where}: a rejected request wrote something`);
          }
          if (({} as Record<string, unknown>).polluted !== undefined) throw new Error(`${where}: Object.prototype was polluted`);
        }),
        { numRuns: options.runs, seed, endOnFailure: true },
      );
    }
  }
  return report;
}

/** Successful reads echo stored text, which may well contain any word. */
function isDataResponse(status: number): boolean {
  return status >= 200 && status < 300;
}
