import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

// Graceful shutdown behind a load balancer. Stopping to accept at once is not enough: a
// balancer keeps routing to an instance until its next probe sees it gone, and keeps its
// pooled keep-alive connections open; both meet a refused or reset connection. So the first
// SIGTERM/SIGINT starts a drain: /readyz answers 503 (the balancer takes the instance out
// of rotation) and every response says `Connection: close` (clients and balancers reconnect,
// elsewhere), while requests are still served. Only then does the server stop accepting,
// finish what is in flight (cutting it after a timeout), close the idle keep-alive sockets
// and the database.

declare module 'fastify' {
  interface FastifyInstance {
    /** True from the first shutdown signal on: /readyz answers 503, every response closes its connection. */
    readonly draining: boolean;
    /** Takes the instance out of rotation; there is no way back. */
    startDraining(): void;
  }
}

/** The drain state and its `Connection: close`; registered before any other hook so every routed answer carries it. */
export const drainPlugin = fp(
  async (app: FastifyInstance) => {
    let draining = false;
    app.decorate('draining', { getter: () => draining });
    app.decorate('startDraining', () => {
      draining = true;
    });
    app.addHook('onRequest', (_request, reply, done) => {
      if (draining) reply.header('connection', 'close');
      done();
    });
  },
  { name: 'drain', fastify: '5.x' },
);

export interface ShutdownOptions {
  /** Keep serving this long (ms) after the signal, out of rotation, before refusing connections. */
  drainMs: number;
  /** Then wait this long (ms) for in-flight requests before cutting their connections. */
  timeoutMs: number;
  /** Closes what the app does not own (the database), once no request runs any more. */
  closeResources(): Promise<void>;
}

/** How often idle keep-alive sockets are reaped while in-flight requests finish. */
const REAP_INTERVAL_MS = 100;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Returns `shutdown(signal)`: the first call runs drain, close and cleanup and resolves when
 * all is closed; later calls (a second Ctrl-C, an impatient orchestrator) are logged and
 * return the same promise, so they neither restart nor cut short the shutdown under way.
 */
export function gracefulShutdown(app: FastifyInstance, { drainMs, timeoutMs, closeResources }: ShutdownOptions) {
  let running: Promise<void> | undefined;

  async function run(signal: string): Promise<void> {
    app.startDraining();
    app.log.info({ signal, drainMs, timeoutMs }, 'shutting down: draining (/readyz answers 503, responses close their connections)');
    await sleep(drainMs);

    app.log.info('shutting down: no new connections, waiting for in-flight requests');
    // Fastify's close stops accepting and resolves once every connection has ended. Node
    // reaps the sockets idle at that moment only; one that turns idle later (its response
    // began before the drain, so without Connection: close) would stay open until the
    // keep-alive timeout, so idle sockets are reaped until the server is closed.
    const closed = app.close();
    const reaper = setInterval(() => app.server.closeIdleConnections(), REAP_INTERVAL_MS);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<true>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    try {
      if ((await Promise.race([closed.then(() => false), timedOut])) === true) {
        const connections = await new Promise<number>((resolve) => app.server.getConnections((_, count) => resolve(count ?? 0)));
        app.log.warn({ timeoutMs, connections }, 'shutting down: in-flight requests did not finish in time, closing their connections');
        app.server.closeAllConnections();
        await closed;
      }
    } finally {
      clearInterval(reaper);
      clearTimeout(timer);
    }

    await closeResources();
    app.log.info('shutting down: closed');
  }

  return function shutdown(signal: string): Promise<void> {
    if (running) {
      app.log.warn({ signal }, 'shutdown already under way: signal ignored');
      return running;
    }
    running = run(signal);
    return running;
  };
}
