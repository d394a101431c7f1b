import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pickFields, type Page, type PageRequest } from './pagination.js';

// Every list route can stream its whole filtered result as CSV, NDJSON or GeoJSON. Rows
// are read page by page along the same keyset as JSON pages and written as they come, so
// memory stays flat however many rows match.

export const EXPORT_FORMATS = ['json', 'csv', 'ndjson', 'geojson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const FormatQuery = z
  .enum(EXPORT_FORMATS)
  .optional()
  .describe(
    'json (default, one page), or csv, ndjson, geojson: the whole filtered result, streamed, no page limit. The Accept header (text/csv, application/x-ndjson, application/geo+json) does the same.',
  );

const MEDIA_TYPES: Record<Exclude<ExportFormat, 'json'>, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
  geojson: 'application/geo+json',
};

/** `format` wins; otherwise the first export type the Accept header names. */
export function exportFormat(request: FastifyRequest, format: ExportFormat | undefined): ExportFormat {
  if (format) return format;
  const accept = request.headers.accept ?? '';
  for (const part of accept.split(',')) {
    const type = part.split(';')[0].trim().toLowerCase();
    if (type === 'text/csv') return 'csv';
    if (type === 'application/x-ndjson') return 'ndjson';
    if (type === 'application/geo+json') return 'geojson';
  }
  return 'json';
}

/** A flat row: what a CSV line and a GeoJSON feature's properties hold. */
export type FlatRow = Record<string, string | number | boolean | null>;

export interface Exporter<Item> {
  /** The CSV header, in order; every flat row has exactly these keys. */
  columns: readonly string[];
  flatten(item: Item): FlatRow;
  /** [longitude, latitude] when the item has a known point. */
  point?(item: Item): [number, number] | null;
  /** The file name offered for download, without extension. */
  filename: string;
}

const EXPORT_PAGE = 1000;

/** Every item matching the query, page after page along the keyset. */
async function* allItems<Item>(fetchPage: (page: PageRequest) => Promise<Page<Item>>, sort: PageRequest['sort']): AsyncGenerator<Item> {
  let after: PageRequest['after'];
  for (;;) {
    const page = await fetchPage({ limit: EXPORT_PAGE, sort, after, countTotal: false });
    yield* page.rows;
    if (!page.next) return;
    after = page.next;
  }
}

async function* pickEach<Item extends { id: string }>(items: AsyncIterable<Item>, fields: string[] | undefined): AsyncGenerator<Item> {
  for await (const item of items) yield fields ? pickFields(item, fields) : item;
}

async function* ndjson<Item>(items: AsyncIterable<Item>): AsyncGenerator<string> {
  for await (const item of items) yield `${JSON.stringify(item)}\n`;
}

async function* geojson<Item>(items: AsyncIterable<Item>, exporter: Exporter<Item>): AsyncGenerator<string> {
  yield '{"type":"FeatureCollection","features":[';
  let first = true;
  for await (const item of items) {
    const point = exporter.point?.(item) ?? null;
    const feature = {
      type: 'Feature',
      id: (item as { id?: string }).id,
      geometry: point ? { type: 'Point', coordinates: point } : null,
      properties: exporter.flatten(item),
    };
    yield `${first ? '' : ','}${JSON.stringify(feature)}`;
    first = false;
  }
  yield ']}';
}

/** One CSV cell as csv-stringify writes it by default: quoted when it holds a quote, a comma or a line break. */
export function csvCell(value: FlatRow[string] | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Lines written at once: one stream chunk per few hundred rows instead of one per row. */
const CSV_LINES_PER_CHUNK = 500;

/** The CSV text: a header, then a line per item, each ending in a newline (RFC 4180 quoting). */
async function* csvText<Item>(items: AsyncIterable<Item>, exporter: Exporter<Item>): AsyncGenerator<string> {
  const { columns } = exporter;
  yield `${columns.map(csvCell).join(',')}\n`;
  let chunk = '';
  let lines = 0;
  for await (const item of items) {
    const row = exporter.flatten(item);
    let line = csvCell(row[columns[0]]);
    for (let i = 1; i < columns.length; i += 1) line += `,${csvCell(row[columns[i]])}`;
    chunk += `${line}\n`;
    lines += 1;
    if (lines === CSV_LINES_PER_CHUNK) {
      yield chunk;
      chunk = '';
      lines = 0;
    }
  }
  if (chunk) yield chunk;
}

/** With `fields`, an export keeps `id` and those of its columns (NDJSON: those fields). */
function narrowed<Item>(exporter: Exporter<Item>, fields: string[] | undefined): Exporter<Item> {
  if (!fields) return exporter;
  const columns = exporter.columns.filter((c) => c === 'id' || fields.includes(c));
  return {
    ...exporter,
    columns,
    flatten: (item) => {
      const row = exporter.flatten(item);
      return Object.fromEntries(columns.map((c) => [c, row[c]]));
    },
  };
}

/**
 * Streams the export. `source` is either a page reader (the list's own, read page after
 * page along the keyset) or the items themselves, for resources with a faster scan.
 */
export function sendExport<Item extends { id: string }>(
  reply: FastifyReply,
  format: Exclude<ExportFormat, 'json'>,
  fullExporter: Exporter<Item>,
  source: ((page: PageRequest) => Promise<Page<Item>>) | AsyncIterable<Item>,
  sort: PageRequest['sort'],
  fields?: string[],
) {
  const exporter = narrowed(fullExporter, fields);
  const items = typeof source === 'function' ? allItems(source, sort) : source;
  reply.type(MEDIA_TYPES[format]);
  if (format === 'csv') {
    reply.header('content-disposition', `attachment; filename="${exporter.filename}.csv"`);
    return reply.send(Readable.from(csvText(items, exporter)));
  }
  const body = format === 'ndjson' ? ndjson(pickEach(items, fields)) : geojson(items, exporter);
  if (format === 'geojson') reply.header('content-disposition', `inline; filename="${exporter.filename}.geojson"`);
  return reply.send(Readable.from(body));
}

/** Joins names for one CSV cell. */
export function joined(values: (string | null | undefined)[]): string {
  return values.filter((v): v is string => Boolean(v)).join('; ');
}
