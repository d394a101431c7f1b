// `npm test`: the whole suite on SQLite, then on PostgreSQL. Fails if either fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const extraArgs = process.argv.slice(2);
const reports = mkdtempSync(path.join(os.tmpdir(), 'ledger-tests-'));
const results: { database: string; ok: boolean; passed: number; failed: number }[] = [];

for (const database of ['sqlite', 'postgresql']) {
  console.log(`\n=== Test suite on ${database} ===\n`);
  const report = path.join(reports, `${database}.json`);
  const run = spawnSync(
    process.execPath,
    [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extraArgs],
    { cwd: root, stdio: 'inherit', env: { ...process.env, TEST_DATABASE: database } },
  );
  let passed = 0;
  let failed = 0;
  try {
    const summary = JSON.parse(readFileSync(report, 'utf8'));
    passed = summary.numPassedTests;
    failed = summary.numFailedTests + (summary.numFailedTestSuites ?? 0);
  } catch {
    failed += 1; // no report: the run itself broke
  }
  const ok = run.status === 0 && passed > 0;
  results.push({ database, ok, passed, failed: ok ? failed : Math.max(failed, 1) });
}
rmSync(reports, { recursive: true, force: true });

console.log('');
for (const r of results) console.log(`${r.database}: ${r.ok ? 'passed' : 'FAILED'} (${r.passed} passed, ${r.failed} failed)`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
