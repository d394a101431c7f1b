import { z } from 'zod';
import { DEFAULT_DATABASE_URL, providerOf } from './db/database-url.js';

// The whole configuration, validated once at start. A bad value stops the process with a
// message naming the variable; nothing reads process.env anywhere else.
const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

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
