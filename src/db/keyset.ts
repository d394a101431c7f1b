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
  return { OR: branches };
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
