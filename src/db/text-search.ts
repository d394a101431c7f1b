import type { DatabaseProvider } from './database-url.js';
import type { Db } from './prisma.js';
import { query, raw, sql, type Sql } from './sql.js';
import { documentExpression, type SearchTarget } from './text-search-schema.js';

// Full-text search behind `q`. A query matches a record when every word of it starts a
// word of the record's text, ignoring case and accents: "kab tal" finds "Kābul's Taliban".
// SQLite keeps an FTS5 index per table (`<table>_search`, unicode61 tokenizer with
// diacritics removed), filled by triggers; PostgreSQL keeps a GIN index over
// to_tsvector('simple', ledger_unaccent(...)). Both are created by the text_search migration
// from SEARCH_TARGETS in text-search-schema.ts (scripts/text-search-sql.ts writes that SQL).

/** The most words a query may hold; the rest would only narrow an already empty result. */
export const MAX_SEARCH_TERMS = 16;

const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/** The words of a query, lower-cased: what the indexes compare as prefixes. */
export function searchTerms(q: string): string[] {
  return (q.normalize('NFC').toLowerCase().match(WORD) ?? []).slice(0, MAX_SEARCH_TERMS);
}

/**
 * The SQL condition "row `alias` of `target.table` matches every word of `q`". `q` must
 * hold at least one word (the request schemas reject those that do not). On SQLite,
 * `match` replaces the FTS5 query written from `q` (see spelledOutMatch).
 */
export function textSearchCondition(provider: DatabaseProvider, target: SearchTarget, alias: string, q: string, match?: string): Sql {
  const terms = searchTerms(q);
  if (terms.length === 0) return raw('1 = 0');
  if (provider === 'postgresql') {
    const tsquery = terms.map((term) => `${term}:*`).join(' & ');
    return sql`${raw(documentExpression(target, alias))} @@ to_tsquery('simple'::regconfig, ledger_unaccent(${tsquery}))`;
  }
  match ??= terms.map((term) => `"${term}"*`).join(' ');
  const index = raw(`${target.table}_search`);
  return sql`${raw(alias)}.id IN (SELECT r.id FROM ${index} s JOIN ${raw(`${target.table}_search_rows`)} r ON r.rowid = s.rowid WHERE ${index} MATCH ${match})`;
}

/** The most index words a prefix is spelled out as; a shorter prefix stays a prefix. */
export const MAX_SPELLED_OUT = 64;

/**
 * The words of `target`'s FTS5 index that start with `prefix`, or undefined when the
 * prefix is better left to FTS5: a word with letters the tokenizer folds (the index holds
 * "kabul" for "kābul"), or one that starts more than MAX_SPELLED_OUT words or none. Read
 * from the `<table>_search_vocab` table (fts5vocab), which reads their whole doclists: the
 * caller keeps the answer until the next write.
 */
export async function indexWordsStartingWith(db: Db, target: SearchTarget, prefix: string): Promise<string[] | undefined> {
  if (!/^[a-z0-9]+$/.test(prefix)) return undefined;
  // The words in [prefix, prefix with its last letter advanced): ASCII, so the successor is ASCII too.
  const upper = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  const rows = await query<{ term: string }>(
    db,
    'sqlite',
    sql`SELECT term FROM ${raw(`"${target.table}_search_vocab"`)} WHERE term >= ${prefix} AND term < ${upper} LIMIT ${MAX_SPELLED_OUT + 1}`,
  );
  return rows.length === 0 || rows.length > MAX_SPELLED_OUT ? undefined : rows.map((row) => row.term);
}

/**
 * The FTS5 query for `q` with each word prefix spelled out as the index words it starts:
 * `"clash"*` becomes `("clash" OR "clashed")`. Both match the same rows, but FTS5 answers a
 * prefix by merging the doclists of all its words, whole, before it can intersect them
 * with the query's other words: "sullu clash" read every event saying "clashed" (72 % of
 * them). The spelled-out words are separate doclists that FTS5 seeks through, driven by
 * the rarest word. `words(term)` gives a prefix's index words (indexWordsStartingWith).
 */
export async function spelledOutMatch(q: string, words: (term: string) => Promise<string[] | undefined>): Promise<string> {
  const terms = searchTerms(q);
  const groups = await Promise.all(
    terms.map(async (term) => {
      const spelled = terms.length > 1 ? await words(term) : undefined;
      return spelled ? `(${spelled.map((word) => `"${word.replaceAll('"', '""')}"`).join(' OR ')})` : `"${term}"*`;
    }),
  );
  return groups.join(' AND ');
}
