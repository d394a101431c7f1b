import type { DatabaseProvider } from './database-url.js';
import type { Db } from './prisma.js';
import { and, join, query, raw, render, sql, timestampValue, type Sql } from './sql.js';
import type { StampedCache } from './stamped-cache.js';

// Keyset pagination: a page starts strictly after the last row of the previous one in the
// requested order, so pages neither skip nor repeat rows while others are inserted, and a
// deep page costs the same as the first.

export interface SortTerm {
  /** The Prisma field name. */
  field: string;
  descending: boolean;
  /** The column may be NULL: NULLs sort last in both directions, on every database. */
  nullable?: boolean;
}

const TIMESTAMP_FIELDS = new Set(['createdAt', 'updatedAt']);

export type CursorValue = string | number | null;

export function orderByOf(terms: SortTerm[]): Record<string, unknown>[] {
  return terms.map((term) => {
    const sort = term.descending ? 'desc' : 'asc';
    return { [term.field]: term.nullable ? { sort, nulls: 'last' } : sort };
  });
}

function fromCursor(field: string, value: CursorValue): unknown {
  return TIMESTAMP_FIELDS.has(field) && typeof value === 'string' ? new Date(value) : value;
}

/** Rows whose `term` column comes after `value` (NULLs last). */
function beyond(term: SortTerm, value: CursorValue): Record<string, unknown> {
  if (value === null) return { id: { in: [] } }; // nothing sorts after NULL
  const strictly = { [term.field]: { [term.descending ? 'lt' : 'gt']: fromCursor(term.field, value) } };
  return term.nullable ? { OR: [strictly, { [term.field]: null }] } : strictly;
}

/** The Prisma `where` selecting the rows after `values` in the order of `terms`. */
export function afterWhere(terms: SortTerm[], values: CursorValue[]): Record<string, unknown> {
  const branches = terms.map((term, i) => {
    const equalPrefix = terms.slice(0, i).map((prev, j) => ({ [prev.field]: fromCursor(prev.field, values[j]) }));
    return { AND: [...equalPrefix, beyond(term, values[i])] };
  });
  // The OR alone does not bound an index range; the redundant bound on the first column does.
  const [first] = terms;
  const value = values[0];
  const notBefore =
    value === null
      ? { [first.field]: null }
      : { [first.field]: { [first.descending ? 'lte' : 'gte']: fromCursor(first.field, value) } };
  const bound = first.nullable && value !== null ? { OR: [notBefore, { [first.field]: null }] } : notBefore;
  return { AND: [bound, { OR: branches }] };
}

/** The cursor values of a row for `terms`. */
export function cursorOf(row: Record<string, unknown>, terms: SortTerm[]): CursorValue[] {
  return terms.map((term) => {
    const value = row[term.field];
    return value instanceof Date ? value.toISOString() : (value as CursorValue);
  });
}

// Prisma's delegates are generic over their arguments; this is the part findPage uses.
interface PageableModel {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  findMany(args: any): Promise<unknown[]>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  count(args: any): Promise<number>;
}

export interface PageQuery {
  limit: number;
  sort: SortTerm[];
  after?: CursorValue[];
  /** Count every match (the list's `total`); exports page through without it. */
  countTotal?: boolean;
}

/** One page of `model` rows matching `where`, plus the total match count. */
export async function findPage<Row>(
  model: PageableModel,
  where: Record<string, unknown>,
  page: PageQuery,
  shape: object = {},
): Promise<{ rows: Row[]; total: number; next?: CursorValue[] }> {
  const pageWhere = page.after ? { AND: [where, afterWhere(page.sort, page.after)] } : where;
  const [rows, total] = await Promise.all([
    model.findMany({ ...shape, where: pageWhere, orderBy: orderByOf(page.sort), take: page.limit + 1 }) as Promise<Row[]>,
    page.countTotal === false ? Promise.resolve(-1) : model.count({ where }),
  ]);
  const hasMore = rows.length > page.limit;
  const pageRows = hasMore ? rows.slice(0, page.limit) : rows;
  const last = pageRows[pageRows.length - 1] as Record<string, unknown> | undefined;
  return { rows: pageRows, total, next: hasMore && last ? cursorOf(last, page.sort) : undefined };
}

// The same pages in SQL, for filters Prisma cannot express (full-text matches). The page's
// ids and sort values come from SQL; the caller loads the rows by id.

/** The column of a Prisma field: the models map camelCase fields to snake_case columns. */
function columnOf(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function sqlValue(provider: DatabaseProvider, field: string, value: CursorValue): unknown {
  const parsed = fromCursor(field, value);
  return parsed instanceof Date ? timestampValue(provider, parsed) : parsed;
}

/** The SQL condition selecting the rows after `values` in the order of `terms` (NULLs last). */
function afterSql(provider: DatabaseProvider, alias: string, terms: SortTerm[], values: CursorValue[]): Sql {
  const column = (term: SortTerm) => raw(`${alias}.${columnOf(term.field)}`);
  const branches = terms.map((term, i) => {
    const equalPrefix = terms.slice(0, i).map((prev, j) =>
      values[j] === null ? sql`${column(prev)} IS NULL` : sql`${column(prev)} = ${sqlValue(provider, prev.field, values[j])}`,
    );
    const value = values[i];
    if (value === null) return raw('1 = 0'); // nothing sorts after NULL
    const strictly = sql`${column(term)} ${raw(term.descending ? '<' : '>')} ${sqlValue(provider, term.field, value)}`;
    return and([...equalPrefix, term.nullable ? sql`${strictly} OR ${column(term)} IS NULL` : strictly]);
  });
  // Databases do not turn `a > x OR (a = x AND b > y)` into an index range on `a`: without
  // the redundant `a >= x` a later page scans every row before it (page 2 of S1 took 1.1 s
  // instead of 23 ms on 100k events).
  const [first] = terms;
  const firstColumn = column(first);
  const notBefore =
    values[0] === null
      ? sql`${firstColumn} IS NULL`
      : sql`${firstColumn} ${raw(first.descending ? '<=' : '>=')} ${sqlValue(provider, first.field, values[0])}`;
  const bound = first.nullable && values[0] !== null ? sql`(${notBefore} OR ${firstColumn} IS NULL)` : notBefore;
  return sql`${bound} AND ((${join(branches, ') OR (')}))`;
}

export interface SqlPageSource<Row> {
  db: Db;
  provider: DatabaseProvider;
  /** `table alias`, e.g. `events e`. */
  table: string;
  alias: string;
  /** The filter as one SQL condition over `alias`. */
  where: Sql;
  /** Loads the rows with these ids (in any order). */
  load(ids: string[]): Promise<Row[]>;
  /** Keeps slow counts until the next write (see StampedCache). */
  counts?: StampedCache<number>;
}

/** One page of rows matching an SQL condition, plus the total match count: findPage in SQL. */
export async function findPageSql<Row extends { id: string }>(
  source: SqlPageSource<Row>,
  page: PageQuery,
): Promise<{ rows: Row[]; total: number; next?: CursorValue[] }> {
  const { db, provider, alias, where } = source;
  const order = page.sort
    .map((term) => `${alias}.${columnOf(term.field)} ${term.descending ? 'DESC' : 'ASC'}${term.nullable ? ' NULLS LAST' : ''}`)
    .join(', ');
  const pageWhere = page.after ? and([where, afterSql(provider, alias, page.sort, page.after)]) : where;
  const from = raw(source.table);
  const countFragment = sql`SELECT count(*) AS n FROM ${from} WHERE ${where}`;
  const countSql = render(countFragment, provider);
  const counter = () => query<{ n: number | bigint | string }>(db, provider, countFragment).then((rows) => Number(rows[0].n));
  const [idRows, total] = await Promise.all([
    query<{ id: string }>(db, provider, sql`SELECT ${raw(alias)}.id FROM ${from} WHERE ${pageWhere} ORDER BY ${raw(order)} LIMIT ${page.limit + 1}`),
    page.countTotal === false
      ? Promise.resolve(-1)
      : source.counts
        ? source.counts.get(`${countSql.text}\u0000${JSON.stringify(countSql.values)}`, counter)
        : counter(),
  ]);
  const hasMore = idRows.length > page.limit;
  const ids = idRows.slice(0, page.limit).map((row) => row.id);
  const byId = new Map((ids.length > 0 ? await source.load(ids) : []).map((row) => [row.id, row]));
  const rows = ids.map((id) => byId.get(id)).filter((row): row is Row => row !== undefined);
  const last = rows[rows.length - 1] as Record<string, unknown> | undefined;
  return { rows, total, next: hasMore && last ? cursorOf(last, page.sort) : undefined };
}

export interface SqlScanSource {
  db: Db;
  provider: DatabaseProvider;
  /** `table alias`, e.g. `events e`. */
  table: string;
  alias: string;
  /** The selected columns, aliased to the Prisma field names the sort terms name. */
  columns: Sql;
  /** The filter as one SQL condition over `alias`. */
  where: Sql;
}

/**
 * Every row matching an SQL condition, in the order of `sort`, as chunks of at most `chunk`
 * rows: for exports, which read a whole result in constant memory. Each chunk is one query
 * along the keyset (no separate id query, no count), so a chunk costs the same wherever it is.
 */
export async function* scanSql(source: SqlScanSource, sort: SortTerm[], chunk: number): AsyncGenerator<Record<string, unknown>[]> {
  const { db, provider, alias, where } = source;
  const order = sort
    .map((term) => `${alias}.${columnOf(term.field)} ${term.descending ? 'DESC' : 'ASC'}${term.nullable ? ' NULLS LAST' : ''}`)
    .join(', ');
  let after: CursorValue[] | undefined;
  for (;;) {
    const chunkWhere = after ? and([where, afterSql(provider, alias, sort, after)]) : where;
    const rows = await query<Record<string, unknown>>(
      db,
      provider,
      sql`SELECT ${source.columns} FROM ${raw(source.table)} WHERE ${chunkWhere} ORDER BY ${raw(order)} LIMIT ${chunk}`,
    );
    if (rows.length > 0) yield rows;
    if (rows.length < chunk) return;
    after = cursorOf(rows[rows.length - 1], sort);
  }
}
