import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { ACLED_REQUIRED_COLUMNS } from './acled-row.js';
import type { Rejection } from './imports.types.js';

// Streaming readers: one record at a time, with the line it starts on, so memory stays flat
// whatever the file size. A record the reader cannot make sense of becomes a rejection.

export type ReadItem<T> = { line: number; value: T } | { line: number; rejections: Rejection[] };

/** The file as a whole cannot be imported (e.g. a required column is missing). */
export class ImportFileError extends Error {}

const LINE_BREAKS = /\r\n|\n|\r/g;

function lineBreaks(text: string): number {
  return text.match(LINE_BREAKS)?.length ?? 0;
}

/**
 * An ACLED CSV export as records keyed by column name. The first record is the header;
 * it must hold ACLED's required columns. Quoted fields may span lines: each record is
 * reported at the line it starts on.
 */
export async function* readAcledCsv(input: Readable): AsyncGenerator<ReadItem<Record<string, string>>> {
  const parser = parse({
    bom: true,
    raw: true,
    info: true,
    relax_column_count: true,
    skip_records_with_error: true,
    record_delimiter: ['\r\n', '\n', '\r'],
  });
  // csv-parse counts a CRLF inside quotes as two lines; count line breaks in the raw text.
  let nextLine = 1;
  const skipped: { line: number; reason: string }[] = [];
  parser.on('skip', (error: Error & { raw?: string }) => {
    skipped.push({ line: nextLine, reason: `not valid CSV: ${error.message}` });
    nextLine += lineBreaks(error.raw ?? '');
  });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);

  let header: string[] | undefined;
  for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
    while (skipped.length > 0) {
      const { line, reason } = skipped.shift()!;
      yield { line, rejections: [{ line, column: null, reason }] };
    }
    const line = nextLine;
    nextLine += lineBreaks(raw);
    if (record.length === 1 && record[0].trim() === '') continue;
    if (!header) {
      header = record.map((name) => name.trim().toLowerCase());
      const missing = ACLED_REQUIRED_COLUMNS.filter((column) => !header!.includes(column));
      if (missing.length > 0) {
        throw new ImportFileError(
          `The CSV header lacks the ACLED column(s) ${missing.join(', ')}; an ACLED export starts with a header such as event_id_cnty,event_date,…`,
        );
      }
      continue;
    }
    if (record.length !== header.length) {
      yield { line, rejections: [{ line, column: null, reason: `has ${record.length} fields; the header has ${header.length}` }] };
      continue;
    }
    const row: Record<string, string> = {};
    header.forEach((name, i) => (row[name] = record[i]));
    yield { line, value: row };
  }
  for (const { line, reason } of skipped) yield { line, rejections: [{ line, column: null, reason }] };
  if (!header) throw new ImportFileError('The file is empty: an ACLED CSV export starts with a header row.');
}

/** NDJSON: one JSON value per line; blank lines are skipped. */
export async function* readNdjson(input: Readable): AsyncGenerator<ReadItem<unknown>> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    const trimmed = line === 1 ? text.replace(/^\uFEFF/, '').trim() : text.trim();
    if (trimmed === '') continue;
    try {
      yield { line, value: JSON.parse(trimmed) as unknown };
    } catch (error) {
      yield { line, rejections: [{ line, column: null, reason: `is not valid JSON: ${(error as Error).message}` }] };
    }
  }
}
