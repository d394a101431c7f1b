// `npm run seed:synthetic -- --events N [--seed S] [--database URL] [--force]`: loads a
// deterministic synthetic ledger of N events (src/synthetic/) for benchmarks. It refuses a
// database that already holds records unless --force, which deletes every ledger record.
import { parseArgs } from 'node:util';
import { databaseUrlFromEnv } from '../db/database-url.js';
import { loadSynthetic } from '../synthetic/load.js';

const USAGE = 'usage: npm run seed:synthetic -- --events N [--seed S] [--database URL] [--force]';

function positiveInteger(value: string | undefined, name: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${value}"\n${USAGE}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string' },
      seed: { type: 'string' },
      database: { type: 'string' },
      force: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
    },
  });
  if (values.events === undefined) throw new Error(USAGE);
  const events = positiveInteger(values.events, 'events');
  const seed = positiveInteger(values.seed, 'seed', 1);
  const url = values.database ?? databaseUrlFromEnv();
  const t0 = Date.now();
  const log = values.quiet ? () => {} : (message: string) => console.error(`seed:synthetic: ${((Date.now() - t0) / 1000).toFixed(1)} s (cpu ${(process.cpuUsage().user / 1e6).toFixed(1)} s) ${message}`);
  const { counts, seconds } = await loadSynthetic(url, { events, seed, force: values.force, log });
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(`Loaded ${events} synthetic events (seed ${seed}) in ${seconds.toFixed(1)} s: ${rows} rows (${JSON.stringify(counts)}).`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
