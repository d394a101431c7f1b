import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/prisma.js';
import { emptyDatabase, type ScratchDatabase } from '../helpers/databases.js';

// The real `npm run import` on a fresh, empty database, as an operator would run it
// (stdout and stderr are pipes here, so progress comes as plain lines, not a bar).

const root = path.resolve(import.meta.dirname, '..', '..');
const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const SAMPLE = path.join('tests', 'fixtures', 'acled-sample.csv');

let scratch: ScratchDatabase;
let dir: string;

function runImport(...args: string[]) {
  const result = spawnSync(process.execPath, [tsx, 'src/cli/import.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: 'file:./data/never-used-by-this-test.db' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  scratch = await emptyDatabase();
  dir = mkdtempSync(path.join(os.tmpdir(), 'ledger-import-cli-'));
});
afterAll(async () => {
  await scratch.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run import', () => {
  it('imports the ACLED sample into an empty database, with progress, a summary and a rejection report', async () => {
    const rejects = path.join(dir, 'rejects.csv');
    const run = runImport(SAMPLE, '--database', scratch.url, '--batch', '100', '--rejects', rejects);
    expect(run.stderr).toMatch(/Applied migrations: \d+_ledger/);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^import: batch 1: 10\d rows read \(\d+% of the file\), \d+ rows\/s, ETA [\d:]+; 100 new, 0 updated, 0 unchanged, \d rejected$/m);
    expect(run.stderr).toMatch(/^import: batch 3: 307 rows read \(100% of the file\)/m);
    expect(run.stdout).toMatch(/^Imported tests\/fixtures\/acled-sample\.csv \(acled\) in [\d.]+ s: 308 rows, 300 imported, 0 updated, 0 unchanged, 8 rejected\.$/m);
    expect(run.stdout).toContain(`Rejection report: ${rejects}`);

    const report = parse(readFileSync(rejects, 'utf8'), { columns: true }) as { line: string; column: string; reason: string }[];
    expect(report.map((r) => [Number(r.line), r.column])).toEqual([
      [31, 'event_date'],
      [84, 'fatalities'],
      [139, 'event_type'],
      [192, 'actor1'],
      [245, 'iso'],
      [300, 'latitude'],
      [353, 'event_id_cnty'],
      [405, ''],
    ]);

    const database = await connectDatabase(scratch.url);
    try {
      expect(await database.prisma.event.count({ where: { externalId: { not: null } } })).toBe(300);
    } finally {
      await database.close();
    }
  });

  it('prints the rejection report on stderr without --rejects, and imports nothing twice', () => {
    const run = runImport(SAMPLE, `--database=${scratch.url}`);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/308 rows, 0 imported, 0 updated, 300 unchanged, 8 rejected\./);
    expect(run.stderr).toContain('line 139, column event_type: "Skirmishes" is not an ACLED event type');
    expect(run.stderr).toContain('line 405: has 32 fields; the header has 31');
  });

  it('explains what is wrong with the command line', () => {
    const noFormat = runImport('events.txt');
    expect(noFormat.status).toBe(1);
    expect(noFormat.stderr).toContain('cannot tell the format of "events.txt" from its name; add --format acled or --format ndjson');
    expect(noFormat.stderr).toContain('usage: npm run import -- FILE');
    const badBatch = runImport(SAMPLE, '--batch', '0');
    expect(badBatch.status).toBe(1);
    expect(badBatch.stderr).toContain('--batch must be a whole number from 1 to 10000');
  });

  it('refuses a CSV that lacks ACLED columns, naming them', () => {
    const run = runImport('package.json', '--format', 'acled', '--database', scratch.url);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/The CSV header lacks the ACLED column\(s\) event_id_cnty, event_date/);
  });
});
