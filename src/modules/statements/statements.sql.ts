import type { DatabaseProvider } from '../../db/database-url.js';
import { and, inList, raw, sql, timestampValue, type Sql } from '../../db/sql.js';
import { SEARCH_TARGETS } from '../../db/text-search-schema.js';
import { textSearchCondition } from '../../db/text-search.js';
import type { StatementFilter } from './statements.repository.js';

// The /v1/statements filters as one SQL condition over `statements s`, for full-text
// matches that Prisma cannot express. It selects the same rows as the repository's `where`.

export function statementConditions(filter: StatementFilter, provider: DatabaseProvider): Sql {
  const conditions: Sql[] = [raw('s.deleted_at IS NULL')];
  if (filter.q) conditions.push(textSearchCondition(provider, SEARCH_TARGETS.statements, 's', filter.q));
  if (filter.speakers) conditions.push(inList(raw('s.speaker_id'), filter.speakers));
  if (filter.onBehalfOf) conditions.push(inList(raw('s.on_behalf_of_id'), filter.onBehalfOf));
  if (filter.targets) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM statement_targets t WHERE t.statement_id = s.id AND t.deleted_at IS NULL AND ${inList(raw('t.actor_id'), filter.targets)})`,
    );
  }
  if (filter.events) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM statement_events se WHERE se.statement_id = s.id AND se.deleted_at IS NULL AND ${inList(raw('se.event_id'), filter.events)})`,
    );
  }
  if (filter.kinds) conditions.push(inList(raw('s.kind'), filter.kinds));
  if (filter.from) conditions.push(sql`s.said_on >= ${filter.from}`);
  if (filter.to) conditions.push(sql`s.said_on <= ${filter.to}`);
  if (filter.attributions) conditions.push(inList(raw('s.attribution'), filter.attributions));
  if (filter.updatedSince) conditions.push(sql`s.updated_at >= ${timestampValue(provider, filter.updatedSince)}`);
  if (filter.sourceId) {
    conditions.push(sql`EXISTS (SELECT 1 FROM provenance v WHERE v.statement_id = s.id AND v.deleted_at IS NULL AND v.source_id = ${filter.sourceId})`);
  }
  return and(conditions);
}
