import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../db/prisma.js';

// What an operator sees: a request id on every response and log line (the caller's
// X-Request-Id when it is a sane token, so a trace crosses services), logs that never hold
// a credential, and /metrics in Prometheus's text format.

export const REQUEST_ID_HEADER = 'x-request-id';
/** A token a log line can carry as is: no spaces, quotes or control characters, bounded. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** Fastify's options for request ids: honour a sane X-Request-Id, otherwise make one. */
export function requestIdOptions(): Partial<FastifyServerOptions> {
  return {
    // Fastify would take any header value as is; genReqId checks it first.
    requestIdHeader: false,
    genReqId: (request: IncomingMessage) => {
      const given = request.headers[REQUEST_ID_HEADER];
      return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
    },
  };
}

/** Log paths whose values are credentials or could be: never written, whatever the level. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["idempotency-key"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

export function withRedaction(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const options = logger === true ? {} : logger;
  return {
    ...options,
    // Fastify's request line, plus the headers (user agent, forwarded-for, content type):
    // what an operator needs to follow a client, with every credential censored.
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: request.url,
        host: request.host,
        remoteAddress: request.ip,
        headers: request.headers,
      }),
    },
    redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
  };
}

/** Process metrics (CPU, memory, event loop, GC) are the process's: collected once, whatever the number of apps. */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const QUERY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

export const observabilityPlugin = fp(
  async (app: FastifyInstance, { database }: { database: Pick<Database, 'onQuery' | 'poolStats'> }) => {
    // Per-request hooks take a callback, not a promise: they never wait on anything.
    app.addHook('onRequest', (request, reply, done) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      done();
    });

    const registry = new Registry();
    const labelNames = ['method', 'route', 'status_code'] as const;
    const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered, by method, route template and status.', labelNames, registers: [registry] });
    const durations = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer HTTP requests, by method, route template and status.',
      labelNames,
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
    app.addHook('onResponse', (request, reply, done) => {
      // The route template, never the raw path: ids and query strings would explode the series.
      const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) };
      requests.inc(labels);
      durations.observe(labels, reply.elapsedTime / 1000);
      done();
    });

    const queries = new Histogram({
      name: 'db_query_duration_seconds',
      help: 'Database query time, by model (raw for hand-written SQL), operation and outcome.',
      labelNames: ['model', 'operation', 'outcome'] as const,
      buckets: QUERY_BUCKETS,
      registers: [registry],
    });
    const stopTiming = database.onQuery((t) => queries.observe({ model: t.model, operation: t.operation, outcome: t.ok ? 'ok' : 'error' }, t.seconds));
    app.addHook('onClose', async () => stopTiming());
    new Gauge({
      name: 'db_pool_connections',
      help: 'PostgreSQL pool connections by state (total, idle, waiting for a connection); absent on SQLite.',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const stats = database.poolStats();
        if (!stats) return;
        this.set({ state: 'total' }, stats.total);
        this.set({ state: 'idle' }, stats.idle);
        this.set({ state: 'waiting' }, stats.waiting);
      },
    });

    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      const text = (await processMetrics().metrics()) + (await registry.metrics());
      return reply.type(registry.contentType).header('cache-control', 'no-store').send(text);
    });
  },
  { name: 'observability', fastify: '5.x' },
);
