import type { DatabaseProvider } from '../../db/database-url.js';
import { and, inList, raw, sql, timestampValue, type Sql } from '../../db/sql.js';
import { SEARCH_TARGETS, textSearchCondition } from '../../db/text-search.js';
import type { EventFilter } from './events.repository.js';

// The /v1/events filters as one SQL condition over `events e`, for the queries Prisma
// cannot express (statistics grouped by date buckets, full-text matches). It selects the
// same rows as the repository's Prisma `where` for the same filter.

export function eventConditions(filter: EventFilter, provider: DatabaseProvider): Sql {
  const conditions: Sql[] = [raw('e.deleted_at IS NULL')];
  if (filter.q) conditions.push(textSearchCondition(provider, SEARCH_TARGETS.events, 'e', filter.q));
  if (filter.eventTypes) conditions.push(inList(raw('e.event_type'), filter.eventTypes));
  if (filter.subEventTypes) conditions.push(inList(raw('e.sub_event_type'), filter.subEventTypes));
  if (filter.countries) conditions.push(inList(raw('e.country'), filter.countries));
  if (filter.admin1) conditions.push(inList(raw('e.admin1'), filter.admin1));
  // Date ranges overlap the requested window: the event may have happened inside it.
  if (filter.from) conditions.push(sql`e.end_date >= ${filter.from}`);
  if (filter.to) conditions.push(sql`e.start_date <= ${filter.to}`);
  if (filter.actors || filter.actorRoles) {
    // The events of the actor's participations: with `actor`, the (actor_id, deleted_at,
    // event_id) index lists them directly, and (id, deleted_at, start_date) on events checks
    // and sorts them, neither reading a row.
    const participant: Sql[] = [raw('p.deleted_at IS NULL')];
    if (filter.actors) participant.push(inList(raw('p.actor_id'), filter.actors));
    if (filter.actorRoles) participant.push(inList(raw('p.role'), filter.actorRoles));
    conditions.push(sql`e.id IN (SELECT p.event_id FROM event_participants p WHERE ${and(participant)})`);
  }
  if (filter.parents) conditions.push(inList(raw('e.parent_id'), filter.parents));
  if (filter.statuses) conditions.push(inList(raw('e.status'), filter.statuses));
  if (filter.bbox) {
    const { minLon, minLat, maxLon, maxLat } = filter.bbox;
    conditions.push(sql`e.latitude BETWEEN ${minLat} AND ${maxLat} AND e.longitude BETWEEN ${minLon} AND ${maxLon}`);
  }
  if (filter.updatedSince) conditions.push(sql`e.updated_at >= ${timestampValue(provider, filter.updatedSince)}`);
  if (filter.ids) conditions.push(filter.ids.length > 0 ? inList(raw('e.id'), filter.ids) : raw('1 = 0'));
  if (filter.externalIds) conditions.push(inList(raw('e.external_id'), filter.externalIds));
  if (filter.sourceId) {
    conditions.push(sql`EXISTS (SELECT 1 FROM provenance v WHERE v.event_id = e.id AND v.deleted_at IS NULL AND v.source_id = ${filter.sourceId})`);
  }
  return and(conditions);
}
