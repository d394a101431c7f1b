import { z } from 'zod';
import { DEFAULT_DATABASE_URL, providerOf } from './db/database-url.js';

// The whole configuration, validated once at start. A bad value stops the process with a
// message naming the variable; nothing reads process.env anywhere else.
const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const count = z.coerce.number().int().min(0);
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** `500ms`, `30s`, `1m`, `1h`, or a plain number of milliseconds. */
const duration = z
  .string()
  .trim()
  .regex(/^\d+\s*(ms|s|m|h)?$/, 'must be a duration such as 60000, 500ms, 30s, 1m or 1h')
  .transform((v) => Number(/^\d+/.exec(v)![0]) * UNITS[/(ms|s|m|h)$/.exec(v)?.[0] ?? 'ms']);
/** A comma list of origins (`https://example.org`), or `*` for any origin. */
const ORIGIN = /^(\*|https?:\/\/[^/\s,]+)$/;
const originList = z
  .string()
  .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
  .refine((origins) => origins.every((o) => ORIGIN.test(o)), 'must be a comma list of origins such as https://example.org (scheme and host, no path), or *');
/**
 * Fastify's trustProxy: true/false or a comma list of proxy addresses/CIDRs. A hop count is
 * refused: Fastify 5 answers every request with the proxy's own address when given one, so
 * every client would share one rate-limit bucket.
 */
const trustProxy = z
  .string()
  .trim()
  .refine((v) => !/^\d+$/.test(v), 'a hop count is not supported: list the proxy addresses instead (e.g. 10.0.0.2 or loopback,uniquelocal)')
  .transform((v): boolean | string => (v === 'true' ? true : v === 'false' ? false : v));

const ConfigSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .min(1)
    .default(DEFAULT_DATABASE_URL)
    .superRefine((url, ctx) => {
      try {
        providerOf(url);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Apply pending migrations before listening. */
  MIGRATE_ON_START: booleanFlag.default(true),
  /** Load the seed article (idempotently) before listening. */
  SEED_ON_START: booleanFlag.default(true),
  /** Reads need an API key with the `read` scope too (writes always need `write`). */
  READ_REQUIRES_KEY: booleanFlag.default(false),

  // Production hardening (src/http/hardening.ts). See the README's "Production settings".
  /** Origins a browser may call the API from; unset means no CORS headers at all. */
  CORS_ORIGINS: originList.default([]),
  /** Requests per RATE_LIMIT_WINDOW per API key (or per client address without one); 0 turns limiting off. */
  RATE_LIMIT_MAX: count.default(600),
  RATE_LIMIT_WINDOW: duration.default(60_000),
  /** Keep rate-limit counters in Redis so the limit holds across replicas; in memory when unset. */
  REDIS_URL: z.string().trim().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  /** Largest request body accepted, in bytes (413 beyond). */
  BODY_LIMIT: z.coerce.number().int().min(1).default(1_048_576),
  /** Time a client has to send its whole request (headers and body); 0 = no limit. */
  REQUEST_TIMEOUT_MS: count.default(30_000),
  /** An idle socket is closed after this long; 0 = never. */
  CONNECTION_TIMEOUT_MS: count.default(60_000),
  /** How long an idle keep-alive connection stays open (longer than a load balancer's idle timeout). */
  KEEP_ALIVE_TIMEOUT_MS: count.default(72_000),
  /**
   * Trust X-Forwarded-* from these proxy addresses (comma list of IPs/CIDRs, or loopback,
   * uniquelocal...). `true` trusts any sender, so a client could pick its own address: only
   * for a proxy that overwrites the header.
   */
  TRUST_PROXY: trustProxy.default(false),
  /**
   * Answer 503 while the event loop lags more than this (ms); 0 = off, the default: a large
   * CSV export lags the loop for a moment by itself, and a lone instance refusing the next
   * request for it helps no one. Turn it on behind a load balancer that retries elsewhere.
   */
  PRESSURE_MAX_EVENT_LOOP_DELAY_MS: count.default(0),
  /** Answer 503 while the heap (bytes) or resident memory (bytes) is above this; 0 = off. */
  PRESSURE_MAX_HEAP_USED_BYTES: count.default(0),
  PRESSURE_MAX_RSS_BYTES: count.default(0),
  /** PostgreSQL: give up connecting after this long, and cancel a statement running longer (ms). */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(1).default(5_000),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1).default(30_000),
  /**
   * After SIGTERM/SIGINT, keep serving this long (ms) while /readyz answers 503 and every
   * response closes its connection, so load balancers move new work to other replicas.
   * 0 skips the drain (a lone instance with no balancer to notice). See src/http/shutdown.ts.
   */
  SHUTDOWN_DRAIN_MS: count.default(1_000),
  /** Then wait this long (ms) for in-flight requests to finish before cutting their connections. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1).default(10_000),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most .env files.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = ConfigSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
