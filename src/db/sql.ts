import type { DatabaseProvider } from './database-url.js';
import { readerOf, type Db } from './prisma.js';

// Raw SQL for what Prisma's query builder cannot say (full-text matches, grouping by date
// buckets, long id lists as subqueries). Values never enter the text: a fragment keeps its
// text parts and its values apart until `render` numbers the placeholders for the provider.

export interface Sql {
  readonly parts: readonly string[];
  readonly values: readonly unknown[];
}

function isSql(value: unknown): value is Sql {
  return typeof value === 'object' && value !== null && 'parts' in value && 'values' in value;
}

/** `sql\`a = ${x}\``: interpolated values become placeholders; interpolated fragments are spliced in. */
export function sql(strings: TemplateStringsArray, ...args: unknown[]): Sql {
  const parts: string[] = [strings[0]];
  const values: unknown[] = [];
  args.forEach((arg, i) => {
    if (isSql(arg)) {
      parts[parts.length - 1] += arg.parts[0];
      for (let j = 1; j < arg.parts.length; j += 1) parts.push(arg.parts[j]);
      values.push(...arg.values);
    } else {
      values.push(arg);
      parts.push('');
    }
    parts[parts.length - 1] += strings[i + 1];
  });
  return { parts, values };
}

/** Trusted SQL text (identifiers and keywords chosen by the code, never by a request). */
export function raw(text: string): Sql {
  return { parts: [text], values: [] };
}

export function join(fragments: Sql[], separator: string): Sql {
  // One pass (long IN lists and multi-row VALUES join hundreds of fragments).
  const parts: string[] = [''];
  const values: unknown[] = [];
  fragments.forEach((fragment, i) => {
    parts[parts.length - 1] += (i === 0 ? '' : separator) + fragment.parts[0];
    for (let j = 1; j < fragment.parts.length; j += 1) parts.push(fragment.parts[j]);
    values.push(...fragment.values);
  });
  return { parts, values };
}

/** All of `conditions` (TRUE when there are none). */
export function and(conditions: Sql[]): Sql {
  return conditions.length === 0 ? raw('1 = 1') : sql`(${join(conditions, ') AND (')})`;
}

/** `column IN (...)` for a non-empty list of values. */
export function inList(column: Sql, values: readonly unknown[]): Sql {
  return sql`${column} IN (${join(values.map((value) => sql`${value}`), ', ')})`;
}

/** The SQL text with `?` (SQLite) or `$n` (PostgreSQL) placeholders, and its values. */
export function render(fragment: Sql, provider: DatabaseProvider): { text: string; values: unknown[] } {
  const text = fragment.parts.reduce((acc, part, i) => (i === 0 ? part : `${acc}${provider === 'postgresql' ? `$${i}` : '?'}${part}`), '');
  return { text, values: [...fragment.values] };
}

/**
 * Runs a SELECT: through the driver when `db` is the top-level client (src/db/prisma.ts),
 * through Prisma inside a transaction, on the transaction's connection. Rows are as the
 * driver gives them (see Database.read): read timestamps with `new Date(...)` and numbers
 * with `Number(...)`, which suits both paths.
 */
export function query<Row>(db: Db, provider: DatabaseProvider, fragment: Sql): Promise<Row[]> {
  const { text, values } = render(fragment, provider);
  const read = readerOf(db);
  return read ? (read(text, values) as Promise<Row[]>) : db.$queryRawUnsafe<Row[]>(text, ...values);
}

/** A timestamp column of a row `query` returned: a Date (PostgreSQL) or ISO text (SQLite). */
export function dateOf(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

/** A nullable number column of a row `query` returned (PostgreSQL gives int8 and numeric as text). */
export function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** A timestamp as the provider stores it, for comparisons in SQL. */
export function timestampValue(provider: DatabaseProvider, date: Date): unknown {
  // Prisma's SQLite adapter keeps DateTime as ISO 8601 text with a `+00:00` offset.
  return provider === 'sqlite' ? date.toISOString().replace('Z', '+00:00') : date;
}
