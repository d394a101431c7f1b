import type { DatabaseProvider } from '../../db/database-url.js';
import { and, inList, raw, sql, timestampValue, type Sql } from '../../db/sql.js';
import { SEARCH_TARGETS } from '../../db/text-search-schema.js';
import { textSearchCondition } from '../../db/text-search.js';
import type { SourceFilter } from './sources.repository.js';

// The /v1/sources filters as one SQL condition over `sources src`, for full-text matches
// that Prisma cannot express. It selects the same rows as the repository's Prisma `where`.

export function sourceConditions(filter: SourceFilter, provider: DatabaseProvider): Sql {
  const conditions: Sql[] = [raw('src.deleted_at IS NULL')];
  if (filter.q) conditions.push(textSearchCondition(provider, SEARCH_TARGETS.sources, 'src', filter.q));
  if (filter.publishers) conditions.push(inList(raw('src.publisher'), filter.publishers));
  if (filter.from) conditions.push(sql`src.published_on >= ${filter.from}`);
  if (filter.to) conditions.push(sql`src.published_on <= ${filter.to}`);
  if (filter.updatedSince) conditions.push(sql`src.updated_at >= ${timestampValue(provider, filter.updatedSince)}`);
  return and(conditions);
}
