// `npm test`: the whole suite on SQLite, then on PostgreSQL. Fails if either fails.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const extraArgs = process.argv.slice(2);
const results: { database: string; ok: boolean }[] = [];

for (const database of ['sqlite', 'postgresql']) {
  console.log(`\n=== Test suite on ${database} ===\n`);
  const run = spawnSync(process.execPath, [vitest, 'run', ...extraArgs], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TEST_DATABASE: database },
  });
  results.push({ database, ok: run.status === 0 });
}

console.log('');
for (const { database, ok } of results) console.log(`${database}: ${ok ? 'passed' : 'FAILED'}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
