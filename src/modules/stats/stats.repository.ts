import type { DatabaseProvider } from '../../db/database-url.js';
import type { Db } from '../../db/prisma.js';
import { and, inList, query, raw, render, sql, type Sql } from '../../db/sql.js';
import { latestRevision, StampedCache } from '../../db/stamped-cache.js';
import type { EventFilter } from '../events/events.repository.js';
import { eventConditions } from '../events/events.sql.js';

// Statistics are GROUP BY queries: the database counts and aggregates, and Node receives
// one row per bucket and group (or per group and reporter), never the underlying records.
// Every key comes back as text, with '' for "none", so grouping and comparing need no
// NULL-safe operators (which SQLite and PostgreSQL spell differently).

export const INTERVALS = ['day', 'week', 'month', 'year'] as const;
export type Interval = (typeof INTERVALS)[number];
export const EVENT_GROUPINGS = ['event_type', 'country', 'actor'] as const;
export type EventGrouping = (typeof EVENT_GROUPINGS)[number];
export const CASUALTY_GROUPINGS = ['reported_by', 'category', 'event', 'country', 'month'] as const;
export type CasualtyGrouping = (typeof CASUALTY_GROUPINGS)[number];

/** The bucket an event's start_date (`YYYY-MM-DD` text) falls in. Weeks are ISO weeks, keyed by their Monday. */
function bucketOf(interval: Interval, provider: DatabaseProvider): Sql {
  switch (interval) {
    case 'day':
      return raw('e.start_date');
    case 'month':
      return raw('substr(e.start_date, 1, 7)');
    case 'year':
      return raw('substr(e.start_date, 1, 4)');
    case 'week':
      // Days since Monday: SQLite's %w counts from Sunday = 0; PostgreSQL's isodow from Monday = 1.
      return provider === 'sqlite'
        ? raw("date(e.start_date, '-' || ((CAST(strftime('%w', e.start_date) AS INTEGER) + 6) % 7) || ' days')")
        : raw("to_char(CAST(e.start_date AS date) - (CAST(extract(isodow FROM CAST(e.start_date AS date)) AS integer) - 1), 'YYYY-MM-DD')");
  }
}

export interface EventCountRow {
  bucket: string;
  groupKey: string;
  label: string | null;
  count: number;
}

export interface CasualtyFigureRow {
  groupKey: string;
  label: string | null;
  category: string;
  sideCountry: string;
  /** The affected actor when the side is named by actor only ('' when named by country). */
  sideKey: string;
  /** An affected actor named in the group's reports ('' when none). */
  sideActorId: string;
  sideActorName: string | null;
  reporterId: string;
  reporterName: string | null;
  reports: number;
  killedMin: number | null;
  killedMaxSum: number | null;
  killedOpen: number;
  injuredMin: number | null;
  injuredMaxSum: number | null;
  injuredOpen: number;
}

export interface CasualtyStatsFilter {
  events: EventFilter;
  reportedBy?: string[];
  categories?: string[];
}

const toNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** The group key of a casualty report (`cr`) on its event (`e`). */
function casualtyKeyOf(groupBy: CasualtyGrouping): Sql {
  switch (groupBy) {
    case 'reported_by':
      return raw('cr.reported_by_id');
    case 'category':
      return raw('cr.category');
    case 'event':
      return raw('cr.event_id');
    case 'country':
      // Where: the event's country; for an event spanning countries (none), the affected side's.
      return raw('COALESCE(e.country, cr.affected_country)');
    case 'month':
      return raw('substr(cr.period_start, 1, 7)');
  }
}

/** A name for the group key: the reporter's name, the event's title. */
function casualtyLabelOf(groupBy: CasualtyGrouping): { join: Sql; label: Sql } {
  if (groupBy === 'reported_by') return { join: raw(''), label: raw('ra.name') };
  if (groupBy === 'event') return { join: raw('LEFT JOIN events ge ON ge.id = g.group_key'), label: raw('ge.title') };
  return { join: raw(''), label: raw('NULL') };
}

/** Per-scope figure columns for one measure (`killed` or `injured`), following rangeOf. */
function scopeFigure(measure: 'killed' | 'injured'): Sql {
  const min = `${measure}_min`;
  const max = `${measure}_max`;
  return raw(
    // low: each report's min (or its max when only that is given); null when no report gives the figure.
    `MIN(COALESCE(${min}, ${max})) AS ${measure}_low, ` +
      // high: null (open-ended) as soon as one report says "at least N".
      `CASE WHEN SUM(CASE WHEN ${min} IS NOT NULL AND ${max} IS NULL THEN 1 ELSE 0 END) > 0 THEN NULL ELSE MAX(${max}) END AS ${measure}_high`,
  );
}

/** Per-reporter sums for one measure over the scopes that no enclosing event's figure covers. */
function reporterFigure(measure: 'killed' | 'injured'): Sql {
  const kept = `${measure}_covered = 0 AND ${measure}_low IS NOT NULL`;
  return raw(
    `SUM(CASE WHEN ${kept} THEN ${measure}_low END) AS ${measure}_min, ` +
      `SUM(CASE WHEN ${kept} THEN ${measure}_high END) AS ${measure}_max_sum, ` +
      `SUM(CASE WHEN ${kept} AND ${measure}_high IS NULL THEN 1 ELSE 0 END) AS ${measure}_open`,
  );
}

/** 1 when the reporter gave this measure for an enclosing event (in the same group, category and side). */
function coverOf(measure: 'killed' | 'injured'): Sql {
  return raw(`MAX(CASE WHEN o.${measure}_low IS NOT NULL THEN 1 ELSE 0 END) AS ${measure}_covered`);
}

export function createStatsRepository(db: Db, provider: DatabaseProvider) {
  /**
   * Runs a statistics query. On PostgreSQL without JIT: the recursive CTE's row estimate
   * is far too high, which makes the planner compile the query, and compiling took longer
   * than running it (7.7 of 14.7 s on 150k reports).
   */
  async function aggregate<Row>(fragment: Sql): Promise<Row[]> {
    if (provider !== 'postgresql') return query<Row>(db, provider, fragment);
    const { text, values } = render(fragment, provider);
    // SET LOCAL lasts until the end of the transaction; a long one may run (Prisma's default ends it after 5 s).
    return db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe('SET LOCAL jit = off');
        return tx.$queryRawUnsafe<Row[]>(text, ...values);
      },
      { maxWait: 30_000, timeout: 300_000 },
    );
  }

  const repository = {
    /** Live events matching the filter, counted per bucket of start_date and per group. */
    async countEvents(filter: EventFilter, interval: Interval, groupBy: EventGrouping | undefined): Promise<EventCountRow[]> {
      const where = eventConditions(filter, provider);
      let key = raw("''");
      let label = raw('NULL');
      let joins = raw('');
      if (groupBy === 'event_type') key = raw('e.event_type');
      if (groupBy === 'country') key = raw("COALESCE(e.country, '')");
      if (groupBy === 'actor') {
        // An event counts once for each actor taking part (in the roles asked for, if any);
        // events with no recorded participant count under no actor.
        const roles = filter.actorRoles ? sql` AND ${inList(raw('gp.role'), filter.actorRoles)}` : raw('');
        joins = sql`LEFT JOIN event_participants gp ON gp.event_id = e.id AND gp.deleted_at IS NULL${roles} LEFT JOIN actors ga ON ga.id = gp.actor_id`;
        key = raw("COALESCE(gp.actor_id, '')");
        label = raw('MIN(ga.name)');
      }
      const rows = await query<{ bucket: string; group_key: string; label: string | null; count: unknown }>(
        db,
        provider,
        sql`SELECT ${bucketOf(interval, provider)} AS bucket, ${key} AS group_key, ${label} AS label, COUNT(DISTINCT e.id) AS count
            FROM events e ${joins}
            WHERE ${where}
            GROUP BY 1, 2`,
      );
      return rows.map((row) => ({ bucket: row.bucket, groupKey: row.group_key, label: row.label, count: Number(row.count) }));
    },

    /** How many live events match the filter. */
    async totalEvents(filter: EventFilter): Promise<number> {
      const [row] = await query<{ total: unknown }>(db, provider, sql`SELECT COUNT(*) AS total FROM events e WHERE ${eventConditions(filter, provider)}`);
      return Number(row.total);
    },

    /**
     * One row per group, category, affected side and reporter: the reporter's figure for
     * that group. Never adds figures of different reporters. A reporter's own figures are
     * combined so that nothing is counted twice:
     * - several reports of the reporter on the same event, category and side (updates,
     *   restatements) are one scope: their low-high range, as rangeOf gives it;
     * - a scope whose event lies inside another event for which the same reporter gave
     *   the same measure (same group, category, side) is covered by that figure and skipped;
     * - the remaining scopes are distinct events: their lows and highs add up.
     */
    async casualtyFigures(filter: CasualtyStatsFilter, groupBy: CasualtyGrouping): Promise<CasualtyFigureRow[]> {
      const reportConditions: Sql[] = [raw('cr.deleted_at IS NULL'), eventConditions(filter.events, provider)];
      if (filter.reportedBy) reportConditions.push(inList(raw('cr.reported_by_id'), filter.reportedBy));
      if (filter.categories) reportConditions.push(inList(raw('cr.category'), filter.categories));
      const { join, label } = casualtyLabelOf(groupBy);
      const rows = await aggregate<Record<string, unknown>>(
        sql`WITH RECURSIVE
          reports AS (
            SELECT COALESCE(${casualtyKeyOf(groupBy)}, '') AS group_key, cr.category AS category,
                   COALESCE(cr.affected_country, '') AS side_country,
                   CASE WHEN cr.affected_country IS NULL THEN COALESCE(cr.affected_actor_id, '') ELSE '' END AS side_actor,
                   cr.affected_actor_id AS named_actor, COALESCE(cr.reported_by_id, '') AS reporter, cr.event_id AS event_id,
                   cr.killed_min, cr.killed_max, cr.injured_min, cr.injured_max
            FROM casualty_reports cr JOIN events e ON e.id = cr.event_id
            WHERE ${and(reportConditions)}
          ),
          scopes AS (
            SELECT group_key, category, side_country, side_actor, reporter, event_id,
                   COUNT(*) AS reports, MIN(named_actor) AS named_actor, ${scopeFigure('killed')}, ${scopeFigure('injured')}
            FROM reports
            GROUP BY group_key, category, side_country, side_actor, reporter, event_id
          ),
          ancestors (event_id, ancestor_id) AS (
            SELECT ev.id, ev.parent_id FROM events ev WHERE ev.parent_id IS NOT NULL AND ev.id IN (SELECT event_id FROM scopes)
            UNION
            SELECT a.event_id, ev.parent_id FROM ancestors a JOIN events ev ON ev.id = a.ancestor_id WHERE ev.parent_id IS NOT NULL
          ),
          -- Scopes inside an enclosing event's scope of the same reporter, group, category and
          -- side. A join, not a correlated subquery, so it stays linear on large imports.
          covers AS (
            SELECT a.event_id, o.group_key, o.category, o.side_country, o.side_actor, o.reporter, ${coverOf('killed')}, ${coverOf('injured')}
            FROM ancestors a JOIN scopes o ON o.event_id = a.ancestor_id
            GROUP BY a.event_id, o.group_key, o.category, o.side_country, o.side_actor, o.reporter
          ),
          kept AS (
            SELECT s.*, COALESCE(c.killed_covered, 0) AS killed_covered, COALESCE(c.injured_covered, 0) AS injured_covered
            FROM scopes s LEFT JOIN covers c
              ON c.event_id = s.event_id AND c.reporter = s.reporter AND c.group_key = s.group_key AND c.category = s.category
             AND c.side_country = s.side_country AND c.side_actor = s.side_actor
          ),
          g AS (
            SELECT group_key, category, side_country, side_actor, reporter, SUM(reports) AS reports, MIN(named_actor) AS named_actor,
                   ${reporterFigure('killed')}, ${reporterFigure('injured')}
            FROM kept
            GROUP BY group_key, category, side_country, side_actor, reporter
          )
          SELECT g.*, ${label} AS label, ra.name AS reporter_name, sa.id AS side_actor_id, sa.name AS side_actor_name
          FROM g
          LEFT JOIN actors ra ON ra.id = g.reporter
          LEFT JOIN actors sa ON sa.id = g.named_actor
          ${join}`,
      );
      return rows.map((row) => ({
        groupKey: String(row.group_key),
        label: (row.label as string | null) ?? null,
        category: String(row.category),
        sideCountry: String(row.side_country),
        sideKey: String(row.side_actor),
        sideActorId: (row.side_actor_id as string | null) ?? '',
        sideActorName: (row.side_actor_name as string | null) ?? null,
        reporterId: String(row.reporter),
        reporterName: (row.reporter_name as string | null) ?? null,
        reports: Number(row.reports),
        killedMin: toNumber(row.killed_min),
        killedMaxSum: toNumber(row.killed_max_sum),
        killedOpen: Number(row.killed_open),
        injuredMin: toNumber(row.injured_min),
        injuredMaxSum: toNumber(row.injured_max_sum),
        injuredOpen: Number(row.injured_open),
      }));
    },
  };

  // Statistics over a million events take long to compute and change only with writes:
  // slow answers are kept until the next committed write (StampedCache).
  const cache = new StampedCache<unknown>(() => latestRevision(db, provider));
  const remembered = <Args extends unknown[], R>(name: string, run: (...args: Args) => Promise<R>) =>
    (...args: Args): Promise<R> => cache.get(`${name}\u0000${JSON.stringify(args)}`, () => run(...args)) as Promise<R>;
  return {
    countEvents: remembered('countEvents', repository.countEvents),
    totalEvents: remembered('totalEvents', repository.totalEvents),
    casualtyFigures: remembered('casualtyFigures', repository.casualtyFigures),
  };
}

export type StatsRepository = ReturnType<typeof createStatsRepository>;
