import type { DatabaseProvider } from './database-url.js';

/**
 * A case-insensitive "contains" condition on one text column. SQLite's LIKE already ignores
 * ASCII case; PostgreSQL needs Prisma's insensitive mode, which the SQLite client's types
 * do not know, hence the cast.
 */
export function textContains(provider: DatabaseProvider, column: string, text: string): Record<string, unknown> {
  return provider === 'postgresql'
    ? { [column]: { contains: text, mode: 'insensitive' } }
    : { [column]: { contains: text } };
}
