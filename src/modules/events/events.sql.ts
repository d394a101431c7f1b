import type { DatabaseProvider } from '../../db/database-url.js';
import type { SortTerm } from '../../db/keyset.js';
import type { Db } from '../../db/prisma.js';
import { and, inList, query, raw, sql, timestampValue, type Sql } from '../../db/sql.js';
import { latestRevision, StampedCache } from '../../db/stamped-cache.js';
import { SEARCH_TARGETS } from '../../db/text-search-schema.js';
import { indexWordsStartingWith, spelledOutMatch, textSearchCondition } from '../../db/text-search.js';
import type { EventFilter } from './events.repository.js';

// The /v1/events filters as one SQL condition over `events e`, for the queries Prisma
// cannot express (statistics grouped by date buckets, full-text matches). It selects the
// same rows as the repository's Prisma `where` for the same filter.

/**
 * How to write a page's conditions so that the database reads little: the same rows
 * whatever the plan. SQLite's planner cannot see how many events an actor has (its
 * statistics hold an average, and a fresh database has none), so the list asks first.
 */
export interface EventListPlan {
  /**
   * Walk the events in the page's date order and test each for the actor, stopping at the
   * page's end, instead of reading and sorting all of the actor's events: for an actor in
   * a large share of the events (18 % for the busiest synthetic one).
   */
  actorByScan?: boolean;
  /** The FTS5 query for `q`, its prefixes spelled out (spelledOutMatch). */
  textMatch?: string;
}

export function eventConditions(filter: EventFilter, provider: DatabaseProvider, plan: EventListPlan = {}): Sql {
  const conditions: Sql[] = [raw('e.deleted_at IS NULL')];
  if (filter.q) conditions.push(textSearchCondition(provider, SEARCH_TARGETS.events, 'e', filter.q, plan.textMatch));
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
    // `+e.id` (SQLite) keeps the id index out of the plan: the IN becomes a test on each
    // event the date index yields, instead of the list the plan starts from.
    conditions.push(sql`${raw(plan.actorByScan ? '+e.id' : 'e.id')} IN (SELECT p.event_id FROM event_participants p WHERE ${and(participant)})`);
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

/**
 * The plan for a page of events (SQLite; PostgreSQL's planner keeps per-value statistics
 * and chooses alone). The words a prefix stands for are kept until the next write.
 */
export function createEventListPlanner(db: Db, provider: DatabaseProvider) {
  const words = new StampedCache<string[] | undefined>(() => latestRevision(db, provider), 30_000, 0);

  /**
   * Whether the actors take part in so many events that walking the date index finds a
   * page sooner than sorting theirs: a walk reads about (limit + 1) × events / n index
   * entries for n participations, the sort n, so it pays from n = √((limit + 1) × events).
   * Counting stops there, reading at most that many index entries.
   */
  async function actorsAreBusy(actors: string[], limit: number): Promise<boolean> {
    const [{ n: events }] = await query<{ n: number | null }>(db, provider, sql`SELECT max(rowid) AS n FROM events`);
    const threshold = Math.ceil(Math.sqrt((limit + 1) * Number(events ?? 0)));
    const [{ n }] = await query<{ n: number | bigint }>(
      db,
      provider,
      sql`SELECT count(*) AS n FROM (SELECT 1 FROM event_participants p WHERE ${inList(raw('p.actor_id'), actors)} AND p.deleted_at IS NULL LIMIT ${threshold})`,
    );
    return threshold > 0 && Number(n) >= threshold;
  }

  return async (filter: EventFilter, page: { limit: number; sort: SortTerm[] }): Promise<EventListPlan> => {
    if (provider !== 'sqlite') return {};
    const plan: EventListPlan = {};
    // Only in date order (the walk needs its index) and for any role (the count reads the index alone).
    if (filter.actors && !filter.actorRoles && page.sort[0]?.field === 'startDate') {
      plan.actorByScan = await actorsAreBusy(filter.actors, page.limit);
    }
    if (filter.q) {
      const target = SEARCH_TARGETS.events;
      plan.textMatch = await spelledOutMatch(filter.q, (term) => words.get(term, () => indexWordsStartingWith(db, target, term)));
    }
    return plan;
  };
}
