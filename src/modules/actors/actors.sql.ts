import type { DatabaseProvider } from '../../db/database-url.js';
import { and, inList, raw, sql, timestampValue, type Sql } from '../../db/sql.js';
import { SEARCH_TARGETS } from '../../db/text-search-schema.js';
import { textSearchCondition } from '../../db/text-search.js';
import type { ActorFilter } from './actors.repository.js';

// The /v1/actors filters as one SQL condition over `actors a`, for full-text matches that
// Prisma cannot express. It selects the same rows as the repository's Prisma `where`.

export function actorConditions(filter: ActorFilter, provider: DatabaseProvider): Sql {
  const conditions: Sql[] = [raw('a.deleted_at IS NULL')];
  if (filter.q) {
    const byAlias = textSearchCondition(provider, SEARCH_TARGETS.actorAliases, 'al', filter.q);
    conditions.push(
      sql`${textSearchCondition(provider, SEARCH_TARGETS.actors, 'a', filter.q)} OR a.id IN (SELECT al.actor_id FROM actor_aliases al WHERE al.deleted_at IS NULL AND ${byAlias})`,
    );
  }
  if (filter.kinds) conditions.push(inList(raw('a.kind'), filter.kinds));
  if (filter.countries) conditions.push(inList(raw('a.country'), filter.countries));
  if (filter.parents) conditions.push(inList(raw('a.parent_id'), filter.parents));
  if (filter.updatedSince) conditions.push(sql`a.updated_at >= ${timestampValue(provider, filter.updatedSince)}`);
  return and(conditions);
}
