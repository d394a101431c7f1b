import type { FastifyRequest } from 'fastify';
import { InvalidInputError } from '../domain/errors.js';
import type { CursorValue, SortTerm } from '../db/keyset.js';

export interface PageRequest {
  limit: number;
  /** The requested order, always ending with `id` so that it is total. */
  sort: SortTerm[];
  /** Cursor values of the last row already seen. */
  after?: CursorValue[];
  /** Count every match (the list's `total`); exports page through without it. */
  countTotal?: boolean;
}

export interface Page<Row> {
  rows: Row[];
  total: number;
  /** Cursor values of the last row, when more rows follow. */
  next?: CursorValue[];
}

/** Wire sort field → Prisma field for one resource; `?` marks a column that may be NULL. */
export type SortColumns = Record<string, string>;

/** The requested order, made total: it always ends with `id` (ascending unless asked). */
export function parseSort(requested: string[] | undefined, fallback: string[], columns: SortColumns): SortTerm[] {
  const terms: SortTerm[] = [];
  for (const key of requested ?? fallback) {
    const descending = key.startsWith('-');
    const column = columns[descending ? key.slice(1) : key];
    const field = column.replace(/\?$/, '');
    terms.push({ field, descending, ...(column.endsWith('?') ? { nullable: true } : {}) });
    if (field === 'id') return terms; // id is unique: later terms could never matter
  }
  return [...terms, { field: 'id', descending: false }];
}

function sortSignature(sort: SortTerm[]): string {
  return sort.map((t) => (t.descending ? `-${t.field}` : t.field)).join(',');
}

export function encodeCursor(sort: SortTerm[], values: CursorValue[]): string {
  return Buffer.from(JSON.stringify({ s: sortSignature(sort), v: values })).toString('base64url');
}

function decodeCursor(cursor: string, sort: SortTerm[]): CursorValue[] {
  const invalid = (message: string) =>
    new InvalidInputError(message, [{ path: 'query.cursor', message }]);
  let decoded: { s?: unknown; v?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('The cursor is not one this API issued; use meta.next_cursor from a previous page.');
  }
  if (
    typeof decoded !== 'object' ||
    decoded === null ||
    !Array.isArray(decoded.v) ||
    decoded.v.length !== sort.length ||
    !decoded.v.every((v) => v === null || typeof v === 'string' || typeof v === 'number')
  ) {
    throw invalid('The cursor is not one this API issued; use meta.next_cursor from a previous page.');
  }
  if (decoded.s !== sortSignature(sort)) {
    throw invalid('The cursor belongs to a different sort order; keep the same `sort` while paging.');
  }
  return decoded.v as CursorValue[];
}

export function pageRequest(
  query: { limit: number; cursor?: string; sort?: string[] },
  fallbackSort: string[],
  columns: SortColumns,
): PageRequest {
  const sort = parseSort(query.sort, fallbackSort, columns);
  return { limit: query.limit, sort, after: query.cursor ? decodeCursor(query.cursor, sort) : undefined };
}

/** The request's own URL with `cursor` set to `cursor`. */
function withCursor(request: FastifyRequest, cursor: string): string {
  const url = new URL(request.url, 'http://ledger.invalid');
  url.searchParams.set('cursor', cursor);
  return `${url.pathname}${url.search}`;
}

export function listEnvelope<Row, Item>(
  request: FastifyRequest,
  page: Page<Row>,
  pageReq: PageRequest,
  toItem: (row: Row) => Item,
) {
  const nextCursor = page.next ? encodeCursor(pageReq.sort, page.next) : null;
  return {
    data: page.rows.map(toItem),
    meta: { limit: pageReq.limit, next_cursor: nextCursor, total: page.total },
    links: { self: request.url, next: nextCursor ? withCursor(request, nextCursor) : null },
  };
}

/** Keeps only the requested fields of a resource (and always its id). */
export function pickFields<T extends { id: string }>(item: T, fields: string[] | undefined): T {
  if (!fields) return item;
  const picked: Record<string, unknown> = { id: item.id };
  for (const field of fields) if (field in item) picked[field] = (item as Record<string, unknown>)[field];
  return picked as T;
}

/** `fields` limits a record's own fields; the includes asked for are kept beside them. */
export function shownFields(fields?: string[], include?: readonly string[]): string[] | undefined {
  return fields ? [...fields, ...(include ?? [])] : undefined;
}
