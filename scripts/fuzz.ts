// `npm run fuzz -- [--runs N] [--seed S] [--db sqlite|postgresql]`: the OpenAPI-driven fuzz
// suite (tests/fuzz/) with N generated requests per operation (default 500) on one
// database (default SQLite). The test suite runs the same property with fewer cases.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '500' },
    seed: { type: 'string' },
    db: { type: 'string', default: 'sqlite' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('%s', 'usage: npm run fuzz -- [--runs N] [--seed S] [--db sqlite|postgresql]\n  N generated requests per OpenAPI operation (default 500) against the real app on one database');
  process.exit(0);
}
if (!/^\d+$/.test(values.runs)) throw new Error('--runs takes a whole number');
if (!['sqlite', 'postgresql', 'postgres'].includes(values.db)) throw new Error('--db takes sqlite or postgresql');

const run = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'tests/fuzz'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    FUZZ_RUNS: values.runs,
    ...(values.seed ? { FUZZ_SEED: values.seed } : {}),
    TEST_DATABASE: values.db === 'sqlite' ? 'sqlite' : 'postgresql',
    FUZZ_TIMEOUT_MS: String(Math.max(300_000, Number(values.runs) * 38 * 100)),
  },
});
process.exit(run.status ?? 1);
