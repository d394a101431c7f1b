import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/prisma.js';
import { emptyDatabase, type ScratchDatabase } from '../helpers/databases.js';
import { ledgerState } from '../helpers/ledger-state.js';

// `npm run import` killed with SIGKILL in the middle of a file (no chance to clean up),
// then run again: the re-run completes the file and the ledger ends identical to one
// clean run. Each batch is one transaction, so the kill loses at most the batch in flight.

const root = path.resolve(import.meta.dirname, '..', '..');
const SAMPLE = path.join('tests', 'fixtures', 'acled-sample.csv');
// The importer itself, not the tsx launcher (which would pass the kill on to no one).
const importer = (url: string) => [process.execPath, ['--import', 'tsx', 'src/cli/import.ts', SAMPLE, '--database', url, '--batch', '10']] as const;

let killed: ScratchDatabase;
let clean: ScratchDatabase;

beforeAll(async () => {
  [killed, clean] = await Promise.all([emptyDatabase(), emptyDatabase()]);
});
afterAll(async () => {
  await Promise.all([killed?.drop(), clean?.drop()]);
});

/** Runs an import; SIGKILLs it once `killAfter` batches have been reported, if given. */
function runImport(url: string, killAfter?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const [command, args] = importer(url);
  const child = spawn(command, [...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    if (killAfter !== undefined && new RegExp(`^import: batch ${killAfter}:`, 'm').test(stderr)) child.kill('SIGKILL');
  });
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

async function importedEvents(url: string): Promise<number> {
  const database = await connectDatabase(url);
  try {
    return await database.prisma.event.count({ where: { externalId: { not: null } } });
  } finally {
    await database.close();
  }
}

describe('an import killed halfway', () => {
  it('dies by SIGKILL with part of the file written, and a re-run ends identical to a clean run', async () => {
    // The clean run goes beside the killed one and its re-run.
    const cleanRun = runImport(clean.url);
    const kill = await runImport(killed.url, 5);
    expect(kill.signal).toBe('SIGKILL');
    expect(kill.stderr).not.toMatch(/^import: batch 31:/m);
    const halfway = await importedEvents(killed.url);
    expect(halfway).toBeGreaterThanOrEqual(40);
    expect(halfway).toBeLessThan(300);

    const rerun = await runImport(killed.url);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(new RegExp(`308 rows, ${300 - halfway} imported, 0 updated, ${halfway} unchanged, 8 rejected\\.`));
    expect((await cleanRun).code).toBe(0);

    const [afterKill, afterClean] = await Promise.all(
      [killed.url, clean.url].map(async (url) => {
        const database = await connectDatabase(url);
        try {
          return await ledgerState(database);
        } finally {
          await database.close();
        }
      }),
    );
    expect(afterKill.counts.event).toBeGreaterThanOrEqual(300);
    expect(afterKill).toEqual(afterClean);
  });
});
