import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { FastifyHttpOptions, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { problem, PROBLEM_CONTENT_TYPE } from './problem.js';

// HTTP hygiene for an API on the public internet, from maintained libraries: security
// headers (helmet), a CORS allow-list, rate limits per API key or client address (in Redis
// when several replicas share one limit), 503 while the process is saturated, and body size
// and socket timeouts. Every refusal is a problem+json like any other error.

export interface HttpOptions {
  /** Largest request body in bytes (413 beyond). Default 1 MiB. */
  bodyLimit?: number;
  /** Time a client has to send its whole request; 0 = none. Default 30 s. */
  requestTimeoutMs?: number;
  /** An idle socket is closed after this long; 0 = never. Default 60 s. */
  connectionTimeoutMs?: number;
  /** Idle keep-alive connections stay open this long. Default 72 s. */
  keepAliveTimeoutMs?: number;
  /** Fastify's trustProxy. Default false: the client address is the socket's. */
  trustProxy?: boolean | number | string;
  /** Origins allowed to call from a browser ('*' for any). Default none: no CORS headers. */
  corsOrigins?: string[];
  /** Requests per window per API key or client address. Default off (max 0). */
  rateLimit?: { max: number; windowMs: number; redisUrl?: string };
  /** 503 thresholds; each 0 or absent is off. Default all off. */
  pressure?: { maxEventLoopDelayMs?: number; maxHeapUsedBytes?: number; maxRssBytes?: number };
}

export function httpOptionsFromConfig(config: Config): HttpOptions {
  return {
    bodyLimit: config.BODY_LIMIT,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    connectionTimeoutMs: config.CONNECTION_TIMEOUT_MS,
    keepAliveTimeoutMs: config.KEEP_ALIVE_TIMEOUT_MS,
    trustProxy: config.TRUST_PROXY,
    corsOrigins: config.CORS_ORIGINS,
    rateLimit: { max: config.RATE_LIMIT_MAX, windowMs: config.RATE_LIMIT_WINDOW, redisUrl: config.REDIS_URL },
    pressure: {
      maxEventLoopDelayMs: config.PRESSURE_MAX_EVENT_LOOP_DELAY_MS,
      maxHeapUsedBytes: config.PRESSURE_MAX_HEAP_USED_BYTES,
      maxRssBytes: config.PRESSURE_MAX_RSS_BYTES,
    },
  };
}

/** The Fastify constructor options that bound bodies and sockets. */
export function serverOptions(http: HttpOptions = {}): Partial<FastifyHttpOptions<Server>> {
  const requestTimeout = http.requestTimeoutMs ?? 30_000;
  return {
    bodyLimit: http.bodyLimit ?? 1_048_576,
    requestTimeout,
    // Node looks for requests past their timeout only every connectionsCheckingInterval
    // (30 s by default), and bounds the headers by its own 60 s: without these a slow
    // client held a socket for up to a minute whatever REQUEST_TIMEOUT_MS said.
    http: {
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(requestTimeout / 4))),
      headersTimeout: Math.min(60_000, requestTimeout),
      requestTimeout,
    },
    connectionTimeout: http.connectionTimeoutMs ?? 60_000,
    keepAliveTimeout: http.keepAliveTimeoutMs ?? 72_000,
    // A hop count works at runtime (Fastify passes it to proxy-addr) though its types omit it.
    trustProxy: (http.trustProxy ?? false) as FastifyServerOptions['trustProxy'],
  };
}

/**
 * Helmet's defaults, with a policy Swagger UI at /docs runs under (its inline styles and
 * data: images), and without upgrade-insecure-requests: a self-hosted ledger is often
 * served over plain HTTP on a LAN address, where upgrading the page's own requests to
 * https would leave /docs and the explorer without script or style.
 */
export const CONTENT_SECURITY_POLICY = {
  useDefaults: true,
  directives: {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'upgrade-insecure-requests': null,
  },
};

/** Response headers a browser script on an allowed origin may read. */
const EXPOSED_HEADERS = ['ETag', 'Location', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'X-Request-Id', 'Content-Disposition'];
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Accept', 'If-Match', 'If-None-Match', 'Idempotency-Key', 'X-Request-Id'];

/** Probes and metrics scrapes answer whatever the load: an orchestrator must see the truth. */
const INFRASTRUCTURE_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

function isInfrastructure(request: FastifyRequest): boolean {
  return INFRASTRUCTURE_ROUTES.has(request.routeOptions.url ?? '');
}

const PRESSURE_RETRY_AFTER_SECONDS = 10;
/** Two of under-pressure's one-second samples. */
const PRESSURE_GRACE_MS = 2_000;

/** Security headers, CORS and the saturation guard: registered before any route. */
export const hardeningPlugin = fp(
  async (app: FastifyInstance, http: HttpOptions) => {
    // helmet's middleware, built once: @fastify/helmet rebuilt it (parsing the policy again)
    // on every request, a few per cent of a small request's time. The headers are the same.
    const securityHeaders = helmet({ contentSecurityPolicy: CONTENT_SECURITY_POLICY });
    app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)));

    const origins = http.corsOrigins ?? [];
    if (origins.length > 0) {
      await app.register(cors, {
        origin: origins.includes('*') ? '*' : origins,
        methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
        allowedHeaders: ALLOWED_HEADERS,
        exposedHeaders: EXPOSED_HEADERS,
        maxAge: 600,
      });
    }

    const pressure = http.pressure ?? {};
    if ((pressure.maxEventLoopDelayMs ?? 0) > 0 || (pressure.maxHeapUsedBytes ?? 0) > 0 || (pressure.maxRssBytes ?? 0) > 0) {
      // Start-up (migrations, seed, compiling the schemas) blocks the loop on purpose; the
      // samples that cover it say nothing about load, so the first seconds of listening are not judged.
      let judgeFrom = 0;
      app.addHook('onListen', async () => {
        judgeFrom = Date.now() + PRESSURE_GRACE_MS;
      });
      await app.register(underPressure, {
        maxEventLoopDelay: pressure.maxEventLoopDelayMs ?? 0,
        maxHeapUsedBytes: pressure.maxHeapUsedBytes ?? 0,
        maxRssBytes: pressure.maxRssBytes ?? 0,
        // Returning a body answers the request; returning nothing lets it through.
        pressureHandler: ((request: FastifyRequest, reply: FastifyReply, type: string) => {
          if (isInfrastructure(request) || Date.now() < judgeFrom) return undefined;
          request.log.warn({ pressure: type }, 'refused under pressure');
          reply.code(503).type(PROBLEM_CONTENT_TYPE).header('retry-after', String(PRESSURE_RETRY_AFTER_SECONDS));
          return problem(503, `The server is overloaded right now; retry in ${PRESSURE_RETRY_AFTER_SECONDS} seconds.`, request.url);
        }) as never,
      });
    }
  },
  { name: 'hardening', fastify: '5.x' },
);

/** Which bucket a request counts against: its API key when it sent a valid one, else its address. */
export function rateLimitKey(request: FastifyRequest): string {
  const bearer = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '');
  // A made-up key must not buy a fresh bucket: only a key the auth hook accepted counts.
  if (request.apiKey && bearer) return `key:${createHash('sha256').update(bearer[1]).digest('hex')}`;
  return `ip:${request.ip}`;
}

function tooManyRequests(max: number, after: string, retryAfterSeconds: number) {
  const error = new Error(
    `Too many requests: at most ${max} per ${after} for each API key (or client address without one). Retry in ${retryAfterSeconds} s (see Retry-After).`,
  ) as Error & { statusCode: number };
  error.statusCode = 429;
  return error;
}

/**
 * Rate limits, registered after the auth plugin so that the bucket is the API key only when
 * the key is valid. With a Redis URL the counters live in Redis and every replica shares
 * them; if Redis is unreachable requests are let through rather than refused.
 */
export const rateLimitPlugin = fp(
  async (app: FastifyInstance, { rateLimit: limit }: Pick<HttpOptions, 'rateLimit'>) => {
    if (!limit || limit.max <= 0) return;
    const redis = limit.redisUrl
      ? new Redis(limit.redisUrl, { connectTimeout: 1000, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true })
      : undefined;
    if (redis) {
      redis.on('error', (error: Error) => app.log.warn({ err: error }, 'rate-limit store (Redis) error'));
      app.addHook('onClose', async () => void (await redis.quit().catch(() => redis.disconnect())));
      // Without an offline queue a command sent before the connection is up fails (and is let
      // through), so connect first; a Redis that is down keeps being retried in the background.
      await redis.connect().catch((error: Error) => app.log.warn({ err: error }, 'rate-limit store (Redis) unreachable; limits are not enforced until it is back'));
    }
    await app.register(rateLimit, {
      global: true,
      max: limit.max,
      timeWindow: limit.windowMs,
      keyGenerator: rateLimitKey,
      allowList: (request) => isInfrastructure(request),
      enableDraftSpec: true,
      skipOnError: true,
      nameSpace: 'conflict-ledger:rate-limit:',
      ...(redis ? { redis } : {}),
      errorResponseBuilder: (_request, context) => tooManyRequests(context.max, context.after, Math.ceil(context.ttl / 1000)),
    });
  },
  { name: 'rate-limit', fastify: '5.x', dependencies: ['auth'] },
);
