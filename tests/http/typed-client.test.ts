import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededApp, type TestApp } from '../helpers/app.js';

// What an integrator does (README, "Typed client"): generate types from the served
// document with openapi-typescript, write a client with openapi-fetch, let the TypeScript
// compiler check it, and run it against the API, here the real app on a real port.

const root = path.resolve(import.meta.dirname, '..', '..');

/** The integrator's module: a small ledger client over openapi-fetch and the generated types. */
const CLIENT = `
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './ledger-api.js';

export type Event = components['schemas']['Event'];
export type Problem = components['schemas']['Problem'];
export type NewEvent = components['schemas']['NewEventInput'];
export type EventFilters = NonNullable<paths['/v1/events']['get']['parameters']['query']>;
// List routes also stream CSV, NDJSON and GeoJSON; this client reads JSON pages, and
// errors as RFC 9457 problems.
type Json = 'application/json' | 'application/problem+json';
export type LedgerClient = Client<paths, Json>;

export function ledgerClient(baseUrl: string, apiKey?: string): LedgerClient {
  return createClient<paths, Json>({
    baseUrl,
    headers: apiKey ? { Authorization: \`Bearer \${apiKey}\` } : {},
  });
}

export class LedgerError extends Error {
  constructor(readonly problem: Problem) {
    super(\`\${problem.status} \${problem.title}: \${problem.detail}\`);
  }
}

/** Every event matching the filters, following links.next until it is null. */
export async function allEvents(client: LedgerClient, baseUrl: string, filters: EventFilters) {
  const events: Event[] = [];
  const nextLinks: string[] = [];
  let query: EventFilters = filters;
  for (;;) {
    const { data, error } = await client.GET('/v1/events', { params: { query } });
    if (error) throw new LedgerError(error);
    events.push(...data.data);
    if (data.links.next === null) return { events, total: data.meta.total, nextLinks };
    nextLinks.push(data.links.next);
    const cursor = new URL(data.links.next, baseUrl).searchParams.get('cursor');
    if (!cursor) throw new Error(\`links.next has no cursor: \${data.links.next}\`);
    query = { ...filters, cursor };
  }
}

/** One event with its participants embedded; undefined when there is no such event. */
export async function eventWithParticipants(client: LedgerClient, id: string) {
  const { data, error, response } = await client.GET('/v1/events/{id}', {
    params: { path: { id }, query: { include: ['participants'] } },
  });
  if (response.status === 404) return { found: false as const, problem: error, contentType: response.headers.get('content-type') };
  if (error) throw new LedgerError(error);
  return {
    found: true as const,
    title: data.title,
    participants: (data.participants ?? []).map((p) => ({ actor: p.actor.id, role: p.role })),
    etag: response.headers.get('etag'),
  };
}

/** Adds an event; a retry with the same idempotency key is answered from the first try. */
export async function createEvent(client: LedgerClient, event: NewEvent, idempotencyKey: string) {
  const { data, error, response } = await client.POST('/v1/events', {
    params: { header: { 'idempotency-key': idempotencyKey } },
    body: event,
  });
  if (error) throw new LedgerError(error);
  return { status: response.status, id: data.id, version: data.version, sources: data.sources.map((s) => s.excerpt) };
}
`;

/** What an application does with the client; returns what it saw. */
const SCENARIO = `
import { allEvents, createEvent, eventWithParticipants, ledgerClient, LedgerError, type Problem } from './client.js';

export async function run(baseUrl: string, apiKey: string) {
  const reader = ledgerClient(baseUrl);
  const writer = ledgerClient(baseUrl, apiKey);

  const afghanistan = await allEvents(reader, baseUrl, { country: ['AFG'], limit: 1, sort: ['start_date'] });
  const talks = await eventWithParticipants(reader, 'evt_istanbul_talks');
  const missing = await eventWithParticipants(reader, 'evt_no_such_event');
  const created = await createEvent(writer, {
    title: 'Clash between Pakistani and Afghan forces in the border area',
    event_type: 'Battles',
    sub_event_type: 'Armed clash',
    start_date: '2025-10-09',
    end_date: '2025-11-07',
    date_precision: 'range',
    country: 'AFG',
    parent_id: 'evt_afghanistan_pakistan_border_conflict',
    sources: [{ id: 'src_toutiao_7570382530332770879', excerpt: 'Previously, there was a clash between Pakistani and Afghan forces in the border area' }],
  }, 'typed-client-1');
  const again = await eventWithParticipants(reader, created.id);
  let refused: Problem | string | null = null;
  try {
    await createEvent(reader, { title: 'x', event_type: 'Battles', start_date: '2025-01-01', end_date: '2025-01-01', date_precision: 'day', sources: [] }, 'typed-client-2');
  } catch (error) {
    refused = error instanceof LedgerError ? error.problem : String(error);
  }
  return {
    afghanistan: { ids: afghanistan.events.map((e) => e.id), countries: afghanistan.events.map((e) => e.country), total: afghanistan.total, nextLinks: afghanistan.nextLinks },
    talks, missing, created, again, refused,
  };
}
`;

/** Plain JavaScript that runs the compiled scenario in a process of its own. */
const RUNNER = `
import { run } from './scenario.js';
console.log(JSON.stringify(await run(process.argv[2], process.argv[3])));
`;

/** Wrong uses the compiler must refuse: each marked line has to carry an error. */
const WRONG = `
import { ledgerClient, type NewEvent } from './client.js';

const client = ledgerClient('http://localhost:3000');
// WRONG: no such path
await client.GET('/v1/event', {});
// WRONG: country is a list of ISO codes, not a number
await client.GET('/v1/events', { params: { query: { country: 4 } } });
const { data } = await client.GET('/v1/events/{id}', { params: { path: { id: 'evt_x' } } });
// WRONG: events have a title, not a titel
console.log(data?.titel);
// WRONG: an event needs its dates, precision and sources
const incomplete: NewEvent = { title: 'x', event_type: 'Battles' };
// WRONG: an unknown event type
await client.POST('/v1/events', { body: { ...incomplete, event_type: 'Skirmish' } });
`;

let t: TestApp;
let baseUrl: string;
let apiKey: string;
let dir: string;
let served: unknown;

beforeAll(async () => {
  t = await seededApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  apiKey = (await t.services.apiKeys.create({ name: 'typed-client', scopes: ['read', 'write'] })).key;
  served = await (await fetch(`${baseUrl}/openapi.json`)).json();
  dir = mkdtempSync(path.join(os.tmpdir(), 'ledger-typed-client-'));
  // The module lives outside the project, as in an integrator's repository, with the
  // project's installed openapi-fetch.
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(path.join(dir, 'client.ts'), CLIENT);
  writeFileSync(path.join(dir, 'scenario.ts'), SCENARIO);
  writeFileSync(path.join(dir, 'wrong.ts'), WRONG);
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.close();
});

const compilerOptions: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  skipLibCheck: true,
  outDir: 'out',
  // fetch, Request and Response as in a browser or Node's global types.
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: [],
};

function diagnosticsByFile(program: ts.Program) {
  const found = new Map<string, { line: number; message: string }[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file ? path.basename(d.file.fileName) : '(options)';
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    found.set(file, [...(found.get(file) ?? []), { line, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') }]);
  }
  return found;
}

describe('a typed client generated from the served document', () => {
  it('generates the types with openapi-typescript', async () => {
    const types = astToString(await openapiTS(served as Parameters<typeof openapiTS>[0]));
    writeFileSync(path.join(dir, 'ledger-api.ts'), types);
    expect(types).toContain('"/v1/events/{id}": {');
    expect(types).toMatch(/\bProblem: \{/);
  });

  it('type-checks a realistic client, and refuses wrong uses of the API', () => {
    const program = ts.createProgram(
      ['client.ts', 'scenario.ts', 'wrong.ts'].map((f) => path.join(dir, f)),
      { ...compilerOptions, outDir: path.join(dir, 'out'), rootDir: dir },
    );
    const diagnostics = diagnosticsByFile(program);
    const clean = [...diagnostics].filter(([file]) => file !== 'wrong.ts');
    expect(clean, 'client.ts and scenario.ts compile without errors').toEqual([]);

    const lines = WRONG.split('\n');
    const marked = lines.flatMap((line, i) => (line.startsWith('// WRONG') ? [i + 2] : []));
    const refused = [...new Set((diagnostics.get('wrong.ts') ?? []).map((d) => d.line))].sort((a, b) => a - b);
    expect(refused, (diagnostics.get('wrong.ts') ?? []).map((d) => `${d.line}: ${d.message.split('\n')[0]}`).join('\n')).toEqual(marked);
    expect(marked).toHaveLength(5);

    // What would run is what was checked: emit the JavaScript.
    expect(program.emit().emitSkipped).toBe(false);
    writeFileSync(path.join(dir, 'out', 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(path.join(dir, 'out', 'run.js'), RUNNER);
  });

  it('runs against the app: filters, pages, includes, a problem+json 404 and a keyed write', async () => {
    const count = await t.database.prisma.event.count({ where: { country: 'AFG', deletedAt: null } });
    expect(count).toBeGreaterThan(1);
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(dir, 'out', 'run.js'), baseUrl, apiKey], { timeout: 20_000 });
    const result = JSON.parse(stdout);

    // Every AFG event, one a page, links.next followed to the end and keeping the filter.
    expect(result.afghanistan.total).toBe(count);
    expect(result.afghanistan.ids).toHaveLength(count);
    expect(new Set(result.afghanistan.ids).size).toBe(count);
    expect(new Set(result.afghanistan.countries)).toEqual(new Set(['AFG']));
    expect(result.afghanistan.nextLinks).toHaveLength(count - 1);
    for (const link of result.afghanistan.nextLinks) expect(link).toMatch(/country=AFG/);

    expect(result.talks.found).toBe(true);
    expect(result.talks.etag).toMatch(/^"\d+-/);
    expect(result.talks.participants.length).toBeGreaterThan(1);
    expect(result.talks.participants.map((p: { role: string }) => p.role)).toContain('mediator');

    expect(result.missing).toMatchObject({ found: false, contentType: expect.stringMatching(/^application\/problem\+json/), problem: { status: 404 } });
    expect(result.missing.problem.detail).toMatch(/evt_no_such_event/);

    expect(result.created).toMatchObject({ status: 201, version: 1, sources: ['Previously, there was a clash between Pakistani and Afghan forces in the border area'] });
    expect(result.created.id).toMatch(/^evt_/);
    expect(result.again).toMatchObject({ found: true, title: 'Clash between Pakistani and Afghan forces in the border area' });
    // A read-only client may not write: the 401 problem arrives typed, as `error`.
    expect(result.refused).toMatchObject({ status: 401, title: expect.any(String) });
  });
});
