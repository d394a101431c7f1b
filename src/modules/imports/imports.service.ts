import type { Readable } from 'node:stream';
import { NUL_REJECTION, nulPath } from '../../domain/nul.js';
import { CreateEventInput } from '../events/events.schemas.js';
import { acledBatch } from './acled-batch.js';
import { readAcledRow, type AcledEvent } from './acled-row.js';
import { writeBatch, type DesiredBatch } from './batch-writer.js';
import type { ImportsRepository } from './imports.repository.js';
import { readAcledCsv, readNdjson, type ReadItem } from './imports.readers.js';
import type { ImportFormat, ImportProgress, ImportSummary, Rejection } from './imports.types.js';
import { ndjsonBatch, ndjsonKey } from './ndjson-batch.js';

// A bulk import: read a file record by record, check each row on its own, and write the
// good ones in batches, each batch one serialized write transaction. A bad row is skipped
// into the rejection report and never stops the others; an error that is not about a row
// (the database going away) stops the import, leaving the batches committed so far, and a
// re-run completes it without duplicates: rows are found again by their (external) ids.

export const DEFAULT_BATCH_SIZE = 500;

export interface ImportOptions {
  format: ImportFormat;
  /** Rows per transaction. */
  batchSize?: number;
  /** Who writes, for the revision history: the API key's name, or "import". */
  changedBy: string;
  /** Called after each batch commits. An error thrown here stops the import. */
  onBatch?: (progress: ImportProgress) => void | Promise<void>;
}

export interface ImportsDeps {
  inTransaction<T>(work: (repo: ImportsRepository) => Promise<T>): Promise<T>;
}

type Checked = { line: number; acled: AcledEvent } | { line: number; ndjson: CreateEventInput };

/** A zod issue as a rejection: the field path, and the message. */
function schemaRejections(line: number, issues: { path: PropertyKey[]; message: string }[]): Rejection[] {
  return issues.map((issue) => ({ line, column: issue.path.length > 0 ? issue.path.map(String).join('.') : null, reason: issue.message }));
}

export function createImportsService(deps: ImportsDeps) {
  return {
    async run(input: Readable, options: ImportOptions): Promise<ImportSummary> {
      const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
      const progress: ImportProgress = { rows: 0, imported: 0, updated: 0, unchanged: 0, rejected: 0, batches: 0 };
      const rejections: Rejection[] = [];
      const rejectedLines = new Set<number>();
      const reject = (found: Rejection[]) => {
        rejections.push(...found);
        for (const r of found) {
          if (!rejectedLines.has(r.line)) progress.rejected += 1;
          rejectedLines.add(r.line);
        }
      };
      // The first line of each event key, so a second row for the same event is reported.
      const firstLine = new Map<string, number>();
      let pending: Checked[] = [];

      const check = (item: ReadItem<unknown>): Checked | undefined => {
        if ('rejections' in item) {
          reject(item.rejections);
          return undefined;
        }
        let checked: Checked;
        let key: string;
        if (options.format === 'acled') {
          const result = readAcledRow(item.value as Record<string, string>, item.line);
          if (!result.ok) return void reject(result.rejections);
          checked = { line: item.line, acled: result.event };
          key = result.event.externalId;
        } else {
          // Checked before the schema, which would pass a NUL on to the database in any text.
          const nul = nulPath(item.value);
          if (nul) return void reject([{ line: item.line, column: nul.length > 0 ? nul.join('.') : null, reason: NUL_REJECTION }]);
          const parsed = CreateEventInput.safeParse(item.value);
          if (!parsed.success) return void reject(schemaRejections(item.line, parsed.error.issues));
          checked = { line: item.line, ndjson: parsed.data };
          key = ndjsonKey(parsed.data);
        }
        const earlier = firstLine.get(key);
        if (earlier !== undefined) {
          const column = options.format === 'acled' ? 'event_id_cnty' : null;
          return void reject([{ line: item.line, column, reason: `describes the same event as line ${earlier}` }]);
        }
        firstLine.set(key, item.line);
        return checked;
      };

      const flush = async () => {
        if (pending.length === 0) return;
        const rows = pending;
        pending = [];
        const { outcomes, rejected } = await deps.inTransaction(async (repo) => {
          const { batch, rejections: found } = await prepare(repo, rows);
          return { outcomes: await writeBatch(repo, batch, options.changedBy), rejected: found };
        });
        reject(rejected);
        for (const outcome of outcomes) {
          if (outcome === 'created') progress.imported += 1;
          else if (outcome === 'updated') progress.updated += 1;
          else progress.unchanged += 1;
        }
        progress.batches += 1;
        await options.onBatch?.({ ...progress });
      };

      const reader = options.format === 'acled' ? readAcledCsv(input) : readNdjson(input);
      for await (const item of reader) {
        progress.rows += 1;
        const checked = check(item);
        if (checked) pending.push(checked);
        if (pending.length >= batchSize) await flush();
      }
      await flush();
      rejections.sort((a, b) => a.line - b.line);
      return { format: options.format, ...progress, rejections };
    },
  };
}

async function prepare(repo: ImportsRepository, rows: Checked[]): Promise<{ batch: DesiredBatch; rejections: Rejection[] }> {
  const acled = rows.flatMap((row) => ('acled' in row ? [{ line: row.line, event: row.acled }] : []));
  if (acled.length > 0) return acledBatch(repo, acled);
  return ndjsonBatch(repo, rows.flatMap((row) => ('ndjson' in row ? [{ line: row.line, input: row.ndjson }] : [])));
}

export type ImportsService = ReturnType<typeof createImportsService>;
