// `npm run import -- FILE [--format acled|ndjson] [--batch N] [--database URL] [--rejects FILE]`:
// loads an ACLED CSV export or an NDJSON file of events (the body of POST /v1/events, one
// per line) in batches, each batch one transaction. Migrates the database first. Progress
// goes to stderr (a bar on a terminal, plain lines otherwise), the summary to stdout, and
// the rejection report to stderr or to the --rejects file (CSV: line,column,reason).
import { createReadStream, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { loadConfig } from '../config.js';
import { providerOf } from '../db/database-url.js';
import { migrateDatabase } from '../db/migrate.js';
import { connectDatabase } from '../db/prisma.js';
import { ImportFileError } from '../modules/imports/imports.readers.js';
import { DEFAULT_BATCH_SIZE } from '../modules/imports/imports.service.js';
import { IMPORT_FORMATS, type ImportFormat, type ImportProgress, type Rejection } from '../modules/imports/imports.types.js';
import { createServices } from '../services.js';

const USAGE = [
  'usage: npm run import -- FILE [--format acled|ndjson] [--batch N] [--database URL] [--rejects FILE]',
  '  FILE       an ACLED CSV export (.csv) or NDJSON events (.ndjson, .jsonl)',
  '  --format   acled or ndjson (default: from the file name)',
  `  --batch    rows per transaction (default ${DEFAULT_BATCH_SIZE})`,
  '  --database the database URL (default: DATABASE_URL, else the SQLite file data/ledger.db)',
  '  --rejects  write the rejection report to this CSV file instead of stderr',
].join('\n');

class UsageError extends Error {}

interface Args {
  file: string;
  format: ImportFormat;
  batch: number;
  database?: string;
  rejects?: string;
}

function formatOf(file: string): ImportFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'acled';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  throw new UsageError(`cannot tell the format of "${file}" from its name; add --format acled or --format ndjson`);
}

function parseArgs(argv: string[]): Args | 'help' {
  const flags: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.slice(2, eq === -1 ? undefined : eq);
    if (!['format', 'batch', 'database', 'rejects'].includes(flag)) throw new UsageError(`unknown option --${flag}`);
    const value = eq !== -1 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new UsageError(`--${flag} needs a value`);
    flags[flag] = value;
  }
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'no FILE given' : `one FILE at a time, got ${positional.join(' ')}`);
  const file = positional[0];
  const format = flags.format ?? formatOf(file);
  if (!(IMPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be acled or ndjson, not "${format}"`);
  const batch = flags.batch === undefined ? DEFAULT_BATCH_SIZE : Number(flags.batch);
  if (!Number.isInteger(batch) || batch < 1 || batch > 10_000) throw new UsageError('--batch must be a whole number from 1 to 10000');
  return { file, format: format as ImportFormat, batch, database: flags.database, rejects: flags.rejects };
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h > 0 ? 2 : 1, '0');
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s % 60).padStart(2, '0')}`;
}

/** Progress on stderr: a redrawn bar on a terminal, one plain line per batch otherwise. */
function progressReporter(totalBytes: number, bytesRead: () => number, tty: boolean) {
  const started = Date.now();
  return {
    update(p: ImportProgress) {
      const elapsed = (Date.now() - started) / 1000;
      const rate = elapsed > 0 ? p.rows / elapsed : 0;
      const fraction = totalBytes > 0 ? Math.min(1, bytesRead() / totalBytes) : 1;
      const eta = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : Infinity;
      const counts = `${p.imported} new, ${p.updated} updated, ${p.unchanged} unchanged, ${p.rejected} rejected`;
      if (tty) {
        const width = 24;
        const filled = Math.round(fraction * width);
        const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
        process.stderr.write(`\r${bar} ${(fraction * 100).toFixed(0).padStart(3)}%  ${p.rows} rows  ${rate.toFixed(0)} rows/s  ETA ${duration(eta)}  (${counts})\x1b[K`);
      } else {
        process.stderr.write(`import: batch ${p.batches}: ${p.rows} rows read (${(fraction * 100).toFixed(0)}% of the file), ${rate.toFixed(0)} rows/s, ETA ${duration(eta)}; ${counts}\n`);
      }
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}

function reportRejections(rejections: Rejection[], file: string | undefined): void {
  if (file) {
    writeFileSync(file, stringify(rejections.map((r) => [r.line, r.column ?? '', r.reason]), { header: true, columns: ['line', 'column', 'reason'] }));
    return;
  }
  for (const r of rejections) process.stderr.write(`line ${r.line}${r.column ? `, column ${r.column}` : ''}: ${r.reason}\n`);
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  if (args === 'help') {
    console.log(USAGE);
    return;
  }
  const size = (() => {
    try {
      return statSync(args.file).size;
    } catch {
      throw new UsageError(`cannot read "${args.file}"`);
    }
  })();
  const url = args.database ?? loadConfig().DATABASE_URL;
  providerOf(url);
  const applied = await migrateDatabase(url);
  if (applied.length > 0) process.stderr.write(`Applied migrations: ${applied.join(', ')}\n`);
  const database = await connectDatabase(url);
  try {
    const input = createReadStream(args.file);
    let bytes = 0;
    input.on('data', (chunk) => (bytes += chunk.length));
    const progress = progressReporter(size, () => bytes, process.stderr.isTTY === true);
    const started = Date.now();
    const summary = await createServices(database)
      .imports.run(input, { format: args.format, batchSize: args.batch, changedBy: 'import', onBatch: (p) => progress.update(p) })
      .finally(() => progress.done());
    const seconds = (Date.now() - started) / 1000;
    reportRejections(summary.rejections, args.rejects);
    console.log(
      `Imported ${args.file} (${args.format}) in ${seconds.toFixed(1)} s: ${summary.rows} rows, ${summary.imported} imported, ` +
        `${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.rejected} rejected.`,
    );
    if (summary.rejected > 0) {
      console.log(args.rejects ? `Rejection report: ${args.rejects}` : 'The rejection report is on stderr (line, column, reason).');
    }
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`import: ${error.message}`);
    console.error(USAGE);
  } else if (error instanceof ImportFileError) {
    console.error(`import: ${error.message}`);
  } else {
    console.error(`import: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
