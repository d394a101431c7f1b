import { randomBytes } from 'node:crypto';
import { NEW_EVENT_EXAMPLE } from '../../src/modules/events/events.examples.js';

// A load run: concurrent clients mixing reads and writes against several API instances
// of one database, spread round-robin as a load balancer would. Clients behave as the
// API asks: a POST carries an Idempotency-Key and is retried with the same key when its
// answer is lost or says "still being processed" (409); a PATCH carries If-Match and is
// re-read and retried on 412. At the end every acknowledged write must be in the
// database exactly once, and every acknowledged PATCH must show in the record's version.

export interface LoadOptions {
  /** Base URLs of the API instances. */
  instances: string[];
  /** A key with the write scope. */
  writeKey: string;
  clients: number;
  durationMs: number;
  /** Share of operations that write (0-1). */
  writeShare?: number;
}

export interface LoadResult {
  run: string;
  requests: number;
  reads: number;
  writes: number;
  replays: number;
  patches: number;
  serverErrors: number;
  networkErrors: number;
  unexpected: string[];
  statuses: Record<number, number>;
  latencies: number[];
  /** Event id -> the version its acknowledged writes lead to. */
  acknowledged: Map<string, number>;
  durationMs: number;
}

const READS = [
  '/v1/events?limit=20',
  '/v1/events?country=AFG&from=2025-01-01&limit=50',
  '/v1/events/evt_istanbul_talks?include=participants,casualty_reports,sources',
  '/v1/events?q=istanbul%20talk&limit=10',
  '/v1/actors?q=pakistan',
  '/v1/statements?kind=accusation&limit=10',
  '/v1/events/evt_afghanistan_pakistan_border_conflict/casualties',
  '/v1/stats/events?interval=month',
  '/v1/stats/casualties?group_by=reported_by',
  '/v1/changes?limit=50',
];

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const run = randomBytes(4).toString('hex');
  const result: LoadResult = {
    run,
    requests: 0,
    reads: 0,
    writes: 0,
    replays: 0,
    patches: 0,
    serverErrors: 0,
    networkErrors: 0,
    unexpected: [],
    statuses: {},
    latencies: [],
    acknowledged: new Map(),
    durationMs: 0,
  };
  const auth = { authorization: `Bearer ${options.writeKey}` };
  const writeShare = options.writeShare ?? 0.3;
  let turn = 0;

  async function send(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
    const base = options.instances[turn++ % options.instances.length];
    const started = performance.now();
    result.requests += 1;
    try {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      result.latencies.push(performance.now() - started);
      result.statuses[response.status] = (result.statuses[response.status] ?? 0) + 1;
      if (response.status >= 500) {
        result.serverErrors += 1;
        if (result.unexpected.length < 20) result.unexpected.push(`${method} ${path} -> ${response.status}: ${text.slice(0, 200)}`);
      }
      return { status: response.status, etag: response.headers.get('etag'), body: text ? JSON.parse(text) : undefined };
    } catch (error) {
      result.networkErrors += 1;
      if (result.unexpected.length < 20) result.unexpected.push(`${method} ${path}: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** POST until acknowledged, with one Idempotency-Key; the id it created. */
  async function create(client: number, n: number): Promise<{ id: string; etag: string } | undefined> {
    const key = `load-${run}-${client}-${n}`;
    const body = { ...NEW_EVENT_EXAMPLE, title: `load ${run} ${client}-${n}` };
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const response = await send('POST', '/v1/events', { ...auth, 'idempotency-key': key }, body);
      if (response?.status === 201) return { id: response.body.id, etag: response.etag! };
      if (response && response.status !== 409) {
        result.unexpected.push(`POST ${key} -> ${response.status}: ${JSON.stringify(response.body).slice(0, 200)}`);
        return undefined;
      }
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
    result.unexpected.push(`POST ${key}: never acknowledged`);
    return undefined;
  }

  async function client(index: number, until: number) {
    const mine: { id: string; etag: string; version: number }[] = [];
    let n = 0;
    // Every client first does one of each kind, then picks at random until the time is up.
    const opening = [writeShare * 0.9, 1, writeShare * 0.1, writeShare * 0.3];
    for (let step = 0; step < opening.length || performance.now() < until; step += 1) {
      const roll = step < opening.length ? opening[step] * 0.999 : Math.random();
      if (roll >= writeShare) {
        result.reads += 1;
        await send('GET', READS[Math.floor(Math.random() * READS.length)]);
        continue;
      }
      if (mine.length > 0 && roll < writeShare * 0.15) {
        // A replayed POST (same key, same body) answers the first response: no new record.
        result.replays += 1;
        const pick = Math.floor(Math.random() * mine.length);
        const response = await send('POST', '/v1/events', { ...auth, 'idempotency-key': `load-${run}-${index}-${pick}` }, {
          ...NEW_EVENT_EXAMPLE,
          title: `load ${run} ${index}-${pick}`,
        });
        if (response && (response.status !== 201 || response.body.id !== mine[pick].id)) {
          result.unexpected.push(`replay ${index}-${pick} -> ${response.status} ${response.body?.id}`);
        }
        continue;
      }
      if (mine.length > 0 && roll < writeShare * 0.4) {
        result.patches += 1;
        const record = mine[Math.floor(Math.random() * mine.length)];
        const response = await send('PATCH', `/v1/events/${record.id}`, { ...auth, 'if-match': record.etag }, { description: `edit ${n}` });
        n += 1;
        if (response?.status === 200) {
          record.etag = response.etag!;
          record.version = response.body.version;
          result.acknowledged.set(record.id, record.version);
        } else if (response?.status === 412) {
          const fresh = await send('GET', `/v1/events/${record.id}`);
          if (fresh?.status === 200) record.etag = fresh.etag!;
        } else if (response) {
          result.unexpected.push(`PATCH ${record.id} -> ${response.status}`);
        }
        continue;
      }
      result.writes += 1;
      const created = await create(index, mine.length);
      n += 1;
      if (created) {
        mine.push({ ...created, version: 1 });
        result.acknowledged.set(created.id, 1);
      }
    }
  }

  // Warm each instance up (first requests compile schemas and open connections).
  for (const base of options.instances) for (const path of READS) await fetch(`${base}${path}`).then((r) => r.text());

  const started = performance.now();
  const until = started + options.durationMs;
  await Promise.all(Array.from({ length: options.clients }, (_, i) => client(i, until)));
  result.durationMs = performance.now() - started;
  return result;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Problems with a run's writes: missing, duplicated, unexpected or stale records. */
export function checkWrites(result: LoadResult, rows: { id: string; title: string; version: number }[]): string[] {
  // Fetch rows with: events whose title starts with `load ${result.run} `, not deleted.
  const problems: string[] = [];
  const titles = new Map<string, number>();
  for (const row of rows) titles.set(row.title, (titles.get(row.title) ?? 0) + 1);
  for (const [title, count] of titles) if (count > 1) problems.push(`${title} stored ${count} times`);
  const stored = new Map(rows.map((row) => [row.id, Number(row.version)]));
  for (const [id, version] of result.acknowledged) {
    if (!stored.has(id)) problems.push(`acknowledged ${id} is missing`);
    else if (stored.get(id) !== version) problems.push(`${id} is at version ${stored.get(id)}, acknowledged ${version}`);
  }
  for (const id of stored.keys()) if (!result.acknowledged.has(id)) problems.push(`${id} stored but never acknowledged`);
  return problems;
}
