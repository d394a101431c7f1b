import type { DatabaseProvider } from './database-url.js';
import type { Db } from './prisma.js';

// `q` filters: a case-insensitive "contains" over some text columns. Prisma's `contains`
// becomes LIKE/ILIKE without escaping, so `%` and `_` in the text would act as wildcards.
// PostgreSQL's LIKE escapes with a backslash by default; SQLite's LIKE has no escape
// character unless the query says so, so text holding one is matched with instr() instead.
// (Full-text search replaces this with indexes in a later step.)

const LIKE_SPECIAL = /[\\%_]/g;

export interface TextColumns {
  /** The table, as named in the database. */
  table: string;
  /** Column names; the Prisma fields have the same names. */
  columns: string[];
}

/** A Prisma `where` for rows of `target.table` whose columns contain `text`. */
export async function textMatch(db: Db, provider: DatabaseProvider, target: TextColumns, text: string): Promise<Record<string, unknown>> {
  if (provider === 'postgresql') {
    const escaped = text.replace(LIKE_SPECIAL, (c) => `\\${c}`);
    return { OR: target.columns.map((column) => ({ [column]: { contains: escaped, mode: 'insensitive' } })) };
  }
  if (!/[%_]/.test(text)) return { OR: target.columns.map((column) => ({ [column]: { contains: text } })) };
  const condition = target.columns.map((column) => `instr(lower("${column}"), lower(?)) > 0`).join(' OR ');
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id FROM "${target.table}" WHERE ${condition}`,
    ...target.columns.map(() => text),
  );
  return { id: { in: rows.map((row) => row.id) } };
}
