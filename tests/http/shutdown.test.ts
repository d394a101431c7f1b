import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { connectDatabase, type Database } from '../../src/db/prisma.js';
import { drainPlugin, gracefulShutdown } from '../../src/http/shutdown.js';
import { cloneDatabase, type ScratchDatabase } from '../helpers/databases.js';
import { expectProblem } from '../helpers/problems.js';

// The phases of a graceful shutdown (src/http/shutdown.ts): on the real app through
// app.inject (readiness, Connection: close, the database closed last), then on real sockets
// with a small app of slow routes (in-flight requests finish, new connections are refused,
// idle keep-alive sockets are closed, a request that hangs is cut at the timeout).

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('shutdown of the real app', () => {
  let scratch: ScratchDatabase;
  let database: Database;
  let app: App;

  beforeAll(async () => {
    scratch = await cloneDatabase(inject('templateDatabaseUrl'));
    database = await connectDatabase(scratch.url);
    app = await buildApp({ database });
  });
  afterAll(async () => {
    await app.close();
    await database.close();
    await scratch.drop();
  });

  it('answers /readyz 503 at once, serves with Connection: close while draining, then closes the app and the database', async () => {
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/v1/events?limit=1' })).headers.connection).not.toBe('close');

    const steps: string[] = [];
    const shutdown = gracefulShutdown(app, {
      drainMs: 300,
      timeoutMs: 2_000,
      closeResources: async () => {
        // Fastify's close has run its onClose hooks (the rate limiter's store...) by now.
        steps.push('database closed');
        await database.close();
      },
    });
    const done = shutdown('SIGTERM');
    expect(app.draining).toBe(true);

    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expectProblem(ready, 503);
    expect(ready.json().detail).toMatch(/shutting down/);
    expect(ready.headers.connection).toBe('close');
    const events = await app.inject({ method: 'GET', url: '/v1/events?limit=1' });
    expect(events.statusCode).toBe(200);
    expect(events.headers.connection).toBe('close');
    expect(events.json().data).toHaveLength(1);
    // Liveness is not readiness: the process is fine, it is only leaving.
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    // Errors close their connection too (the hook runs before auth and routing).
    expect((await app.inject({ method: 'GET', url: '/v1/no-such-route' })).headers.connection).toBe('close');

    // A second signal neither restarts nor shortens the shutdown under way.
    expect(shutdown('SIGINT')).toBe(done);
    expect(steps).toEqual([]);
    await done;
    expect(steps).toEqual(['database closed']);
  });
});

interface Answer {
  status?: number;
  connection?: string;
  error?: string;
  ms: number;
}

function get(base: string, path: string, agent: http.Agent): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const request = http.get(base + path, { agent }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode, connection: response.headers.connection, ms: performance.now() - started }));
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, ms: performance.now() - started }));
  });
}

/** A small app with the drain plugin and a route that answers after `ms`, on a real port. */
async function slowServer(): Promise<{ app: FastifyInstance; base: string }> {
  const app = Fastify({ return503OnClosing: false });
  await app.register(drainPlugin);
  app.get<{ Querystring: { ms?: string } }>('/slow', async (request) => {
    await sleep(Number(request.query.ms ?? 0));
    return { ok: true };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

describe('shutdown on real sockets', () => {
  it('finishes in-flight requests, refuses new connections after the drain, closes idle keep-alive sockets, then the resources', async () => {
    const { app, base } = await slowServer();
    const idle = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const busy = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const fresh = () => new http.Agent({ keepAlive: false });
    // A kept-alive connection that sits idle through the shutdown, as a balancer's pool does.
    expect(await get(base, '/slow', idle)).toMatchObject({ status: 200, connection: 'keep-alive' });
    const idleSocketClosed = new Promise<number>((resolve) => Object.values(idle.freeSockets)[0]![0].once('close', () => resolve(performance.now())));

    const events: string[] = [];
    const shutdown = gracefulShutdown(app, {
      drainMs: 300,
      timeoutMs: 5_000,
      closeResources: async () => void events.push('resources closed'),
    });
    // In flight across the whole drain: it began before the signal, so it has no Connection: close.
    const inFlight = get(base, '/slow?ms=900', busy).then((answer) => (events.push('in-flight answered'), answer));
    await sleep(50);
    const started = performance.now();
    const done = shutdown('SIGTERM').then(() => events.push('shutdown done'));

    // Draining: still served, each answer closing its connection.
    expect(await get(base, '/slow?ms=10', fresh())).toMatchObject({ status: 200, connection: 'close' });
    await sleep(400);
    // Past the drain: the port is closed.
    expect(await get(base, '/slow', fresh())).toMatchObject({ error: 'ECONNREFUSED' });

    expect(await inFlight).toMatchObject({ status: 200, connection: 'keep-alive' });
    await done;
    expect(events).toEqual(['in-flight answered', 'resources closed', 'shutdown done']);
    // The idle socket went when the server closed, not at the 72 s keep-alive timeout; and the
    // in-flight request's socket, idle once answered, did not hold the shutdown up either.
    expect((await idleSocketClosed) - started).toBeLessThan(1_000);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('cuts a request that outlasts the timeout, then closes the resources anyway', async () => {
    const { app, base } = await slowServer();
    let closed = false;
    const shutdown = gracefulShutdown(app, { drainMs: 0, timeoutMs: 300, closeResources: async () => void (closed = true) });
    const hanging = get(base, '/slow?ms=10000', new http.Agent({ keepAlive: true }));
    await sleep(50);
    const started = performance.now();
    await shutdown('SIGTERM');
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(closed).toBe(true);
    expect((await hanging).error).toBe('ECONNRESET');
  });
});
