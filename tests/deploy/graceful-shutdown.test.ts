import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { connectDatabase, type Database } from '../../src/db/prisma.js';
import { NEW_EVENT_EXAMPLE } from '../../src/modules/events/events.examples.js';
import { createServices } from '../../src/services.js';
import { cloneDatabase, provider, type ScratchDatabase } from '../helpers/databases.js';
import { startServer, type RunningServer } from '../helpers/server.js';

// A rolling restart under steady load, as docker-compose.yml runs the API: two real server
// processes on one database behind a balancer; one at a time is sent SIGTERM while a
// replacement starts. Clients must see no failed request at all: the stopping instance
// answers /readyz 503 at once, the balancer stops routing to it on its next probe, and the
// requests already on their way are still answered before the port closes.
//
// The balancer is a small HTTP proxy here, doing what nginx, HAProxy or a Kubernetes
// Service does: round robin over the instances whose /readyz answered 200 at the last probe
// (every PROBE_MS; out on a 503 or a refused connection, not on a slow answer), pooled
// keep-alive connections to them, and another instance when a connection is refused
// (nothing was sent, so even a POST may go elsewhere). Any other error, a reset connection
// or a 5xx, reaches the client and counts as a failure.

const CLIENTS = 8;
const ROUNDS = 2;
const PROBE_MS = 100;
const PROBE_TIMEOUT_MS = 1_000;
const DRAIN_MS = 1_000;

interface Backend {
  name: string;
  base: URL;
  ready: boolean;
  /** When it was sent SIGTERM; requests routed to it after this were drained. */
  stoppingAt?: number;
  routed: number;
  routedWhileStopping: number;
  /** Requests it is answering now. */
  inFlight: number;
}

class Balancer {
  readonly backends: Backend[] = [];
  refusedRetries = 0;
  private next = 0;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly server = http.createServer((request, response) => void this.forward(request, response));
  private probing?: NodeJS.Timeout;
  base = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.probing = setInterval(() => void this.probe(), PROBE_MS);
  }

  add(name: string, base: string): Backend {
    const backend: Backend = { name, base: new URL(base), ready: false, routed: 0, routedWhileStopping: 0, inFlight: 0 };
    this.backends.push(backend);
    return backend;
  }

  /** Resolves once the balancer routes to `backend`. */
  async whenReady(backend: Backend): Promise<void> {
    while (!backend.ready) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  async close(): Promise<void> {
    clearInterval(this.probing);
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    this.agent.destroy();
  }

  private async probe(): Promise<void> {
    await Promise.all(
      this.backends.map(async (backend) => {
        try {
          const response = await fetch(new URL('/readyz', backend.base), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
          await response.arrayBuffer();
          backend.ready = response.status === 200;
        } catch (error) {
          // No answer in time from a busy instance says it is busy, not leaving (ejecting the
          // last one would fail every request); a refused connection says it is gone.
          if ((error as Error).name !== 'TimeoutError') backend.ready = false;
        }
      }),
    );
  }

  private pick(excluded: Set<Backend>): Backend | undefined {
    const candidates = this.backends.filter((b) => b.ready && !excluded.has(b));
    if (candidates.length === 0) return undefined;
    this.next += 1;
    return candidates[this.next % candidates.length];
  }

  private async forward(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const tried = new Set<Backend>();
    for (;;) {
      const backend = this.pick(tried);
      if (!backend) {
        response.writeHead(503, { 'content-type': 'text/plain' }).end('balancer: no instance ready');
        return;
      }
      tried.add(backend);
      backend.routed += 1;
      if (backend.stoppingAt !== undefined) backend.routedWhileStopping += 1;
      backend.inFlight += 1;
      const outcome = await new Promise<'done' | 'refused'>((resolve) => {
        const upstream = http.request(
          { host: backend.base.hostname, port: backend.base.port, path: request.url, method: request.method, headers: { ...request.headers, connection: 'keep-alive' }, agent: this.agent },
          (answer) => {
            const { connection: _connection, 'keep-alive': _keepAlive, ...headers } = answer.headers;
            response.writeHead(answer.statusCode!, headers);
            answer.pipe(response);
            answer.on('end', () => resolve('done'));
            answer.on('error', () => (response.destroy(), resolve('done')));
          },
        );
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code === 'ECONNREFUSED' && !response.headersSent) return resolve('refused');
          // Reset, hang-up...: what a client behind a real balancer would see fail.
          if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' }).end(`balancer: ${backend.name}: ${error.code ?? error.message}`);
          else response.destroy();
          resolve('done');
        });
        upstream.end(body);
      });
      backend.inFlight -= 1;
      if (outcome === 'done') return;
      backend.ready = false;
      this.refusedRetries += 1;
    }
  }
}

interface Tally {
  served: number;
  writes: number;
  failures: string[];
  created: string[];
}

const READS = [
  '/v1/events?limit=20',
  '/v1/events/evt_istanbul_talks?include=participants,casualty_reports,sources',
  '/v1/actors?q=pakistan',
  '/v1/statements?kind=accusation&limit=10',
  '/v1/events/evt_afghanistan_pakistan_border_conflict/casualties',
  '/v1/stats/events?interval=month',
];

/** One client: a request after another until `stop()`; every third request of the even clients is a write. */
async function client(index: number, base: string, writeKey: string, tally: Tally, running: () => boolean): Promise<void> {
  for (let n = 0; running(); n += 1) {
    const write = index % 2 === 0 && n % 3 === 0;
    const label = write ? 'POST /v1/events' : `GET ${READS[(index + n) % READS.length]}`;
    try {
      const response = write
        ? await fetch(`${base}/v1/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json', 'idempotency-key': `shutdown-${index}-${n}` },
            body: JSON.stringify({ ...NEW_EVENT_EXAMPLE, title: `shutdown ${index}-${n}` }),
          })
        : await fetch(base + READS[(index + n) % READS.length]);
      const text = await response.text();
      if (response.status !== (write ? 201 : 200)) tally.failures.push(`${label} -> ${response.status}: ${text.slice(0, 200)}`);
      else {
        tally.served += 1;
        if (write) {
          tally.writes += 1;
          tally.created.push((JSON.parse(text) as { id: string }).id);
        }
      }
    } catch (error) {
      tally.failures.push(`${label} -> ${String((error as Error).cause ?? error)}`);
    }
  }
}

let scratch: ScratchDatabase;
let database: Database;
let writeKey: string;
const servers: RunningServer[] = [];
const balancer = new Balancer();
const ENV = { MIGRATE_ON_START: 'false', SEED_ON_START: 'false', RATE_LIMIT_MAX: '0', SHUTDOWN_DRAIN_MS: String(DRAIN_MS), SHUTDOWN_TIMEOUT_MS: '10000' };

beforeAll(async () => {
  scratch = await cloneDatabase(inject('templateDatabaseUrl'));
  database = await connectDatabase(scratch.url);
  writeKey = (await createServices(database).apiKeys.create({ name: 'shutdown', scopes: ['read', 'write'] })).key;
  await balancer.start();
});

afterAll(async () => {
  for (const server of servers) server.child.kill('SIGKILL');
  await balancer.close();
  await database.close();
  await scratch.drop();
});

/** An API process on the shared database, in the balancer once its /readyz answers. */
async function startInstance(name: string): Promise<{ server: RunningServer; backend: Backend }> {
  // One node process, as the Docker image runs it, so SIGTERM reaches the server itself.
  const server = await startServer(scratch.url, ENV, { launcher: 'node' });
  servers.push(server);
  const backend = balancer.add(name, server.base);
  await balancer.whenReady(backend);
  return { server, backend };
}

describe(`a rolling restart under steady load on ${provider}`, () => {
  it('fails no request: each stopped instance drains, finishes its requests and exits 0', async () => {
    const started = performance.now();
    let instances = await Promise.all([startInstance('api-1'), startInstance('api-2')]);
    const tally: Tally = { served: 0, writes: 0, failures: [], created: [] };
    let running = true;
    const clients = Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i, balancer.base, writeKey, tally, () => running)));
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const stopped: { name: string; code: number | null; exitMs: number; inFlightAtSignal: number; routedAfter: number }[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const [victim, survivor] = instances;
      const servedBefore = tally.served;
      victim.backend.stoppingAt = performance.now();
      const inFlightAtSignal = victim.backend.inFlight;
      const exit = victim.server.stop(); // SIGTERM, mid-load
      const replacement = startInstance(`api-${round + 3}`);
      const code = await exit;
      stopped.push({ name: victim.backend.name, code, exitMs: performance.now() - victim.backend.stoppingAt, inFlightAtSignal, routedAfter: victim.backend.routedWhileStopping });
      instances = [survivor, await replacement];
      // The load went on through the shutdown.
      expect(tally.served - servedBefore, `requests served while ${victim.backend.name} stopped`).toBeGreaterThan(10);
    }
    running = false;
    await clients;
    const seconds = (performance.now() - started) / 1000;

    const stored = await database.prisma.event.count({ where: { id: { in: tally.created } } });
    console.log(
      `graceful shutdown on ${provider}: ${tally.served} requests served (${tally.writes} writes) in ${seconds.toFixed(1)} s, ` +
        `${tally.failures.length} failed, ${balancer.refusedRetries} refused connections retried by the balancer; ` +
        stopped.map((s) => `${s.name} exited ${s.code} ${(s.exitMs / 1000).toFixed(1)} s after SIGTERM, ${s.inFlightAtSignal} requests in flight at the signal and ${s.routedAfter} routed to it after`).join('; '),
    );
    expect(tally.failures).toEqual([]);
    expect(stopped.map((s) => s.code)).toEqual(Array(ROUNDS).fill(0));
    // It served through the drain, then left the rotation without waiting for the timeout.
    for (const s of stopped) expect(s.exitMs).toBeGreaterThanOrEqual(DRAIN_MS);
    for (const s of stopped) expect(s.exitMs).toBeLessThan(DRAIN_MS + 5_000);
    // The signals came mid-load: requests were on their way in the stopping instances, and answered.
    expect(stopped.reduce((sum, s) => sum + s.inFlightAtSignal + s.routedAfter, 0)).toBeGreaterThan(0);
    expect(tally.served).toBeGreaterThan(100);
    expect(tally.writes).toBeGreaterThan(5);
    // Every acknowledged write is in the database.
    expect(stored).toBe(tally.created.length);
    // The survivors stop as cleanly.
    expect(await Promise.all(instances.map((i) => i.server.stop()))).toEqual([0, 0]);
  }, 120_000); // ~10 s alone; starting four processes takes far longer on a saturated machine
});
