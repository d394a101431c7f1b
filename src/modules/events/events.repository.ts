import type { DatabaseProvider } from '../../db/database-url.js';
import type { Db, Prisma } from '../../db/prisma.js';
import { findPageSql, scanSql, type PageQuery, type SortTerm } from '../../db/keyset.js';
import { latestRevision, StampedCache } from '../../db/stamped-cache.js';
import { dateOf, inList, numberOrNull, query, raw, sql } from '../../db/sql.js';
import type { SourceRefRow } from '../provenance/provenance.service.js';
import { inChunks } from '../../db/chunks.js';
import { derivedId } from '../../domain/ids.js';
import { provenanceInclude, provenanceOf, provenanceRows, replaceProvenance, sourceRefOf, type ProvenanceLink } from '../provenance/provenance.repository.js';
import { ancestorIds, idInUse, isTombstoned, tombstoneVersioned, updateVersioned } from '../../db/versioning.js';
import { createEventListPlanner, eventConditions } from './events.sql.js';

export interface EventFilter {
  q?: string;
  eventTypes?: string[];
  subEventTypes?: string[];
  countries?: string[];
  admin1?: string[];
  from?: string;
  to?: string;
  actors?: string[];
  actorRoles?: string[];
  parents?: string[];
  statuses?: string[];
  bbox?: { minLon: number; minLat: number; maxLon: number; maxLat: number };
  updatedSince?: Date;
  ids?: string[];
  externalIds?: string[];
  sourceId?: string;
}

/** The Prisma shapes of whole events and participants (for Prisma reads elsewhere, e.g. imports). */
export const eventShape = { include: { provenance: provenanceInclude } } satisfies Prisma.EventDefaultArgs;
export const participantShape = {
  include: { actor: { select: { id: true, name: true } }, provenance: provenanceInclude },
} satisfies Prisma.EventParticipantDefaultArgs;

export type EventRow = Prisma.EventGetPayload<object> & { provenance: SourceRefRow[] };
export type ParticipantRow = Prisma.EventParticipantGetPayload<object> & { actor: { id: string; name: string }; provenance: SourceRefRow[] };

// Reads of whole events are raw SQL: Prisma's include machinery (a query per relation and
// the joins in JavaScript) cost more than the database's work on every list page. The
// columns are aliased to the Prisma field names, so the rows are the model's rows.
const EVENT_COLUMNS = raw(
  `e.id, e.title, e.event_type AS "eventType", e.sub_event_type AS "subEventType", e.start_date AS "startDate", e.end_date AS "endDate",
   e.date_precision AS "datePrecision", e.date_note AS "dateNote", e.country, e.admin1, e.admin2, e.location, e.latitude, e.longitude,
   e.geo_precision AS "geoPrecision", e.description, e.notes, e.status, e.parent_id AS "parentId", e.external_id AS "externalId",
   e.created_at AS "createdAt", e.updated_at AS "updatedAt", e.version, e.deleted_at AS "deletedAt"`,
);

/** An event row as raw SQL returns it (EVENT_COLUMNS), typed. */
function typedEventRow(row: Record<string, unknown>, provenance: SourceRefRow[]): EventRow {
  return {
    ...(row as unknown as EventRow),
    latitude: numberOrNull(row.latitude),
    longitude: numberOrNull(row.longitude),
    version: Number(row.version),
    createdAt: dateOf(row.createdAt),
    updatedAt: dateOf(row.updatedAt),
    deletedAt: row.deletedAt === null ? null : dateOf(row.deletedAt),
    provenance,
  };
}

/** An event as the flat exports need it: its first cited passage, its actors' names by role. */
export type EventSummaryRow = EventRow & { participantNames: { role: string; name: string }[] };

/**
 * What the flat exports add to EVENT_COLUMNS, per event in the query itself: the first
 * passage it cites (in the order of its `sources`) and its live participants' roles and
 * actor names (in the order of `include=participants`), as a JSON array.
 */
function summaryColumns(provider: 'sqlite' | 'postgresql') {
  const pairs =
    provider === 'sqlite'
      ? 'json_group_array(json_array(p.role, a.name) ORDER BY p.role, p.id)'
      : 'json_agg(json_build_array(p.role, a.name) ORDER BY p.role, p.id)';
  return {
    columns: sql`${EVENT_COLUMNS}, ${raw(`fp.excerpt AS first_excerpt, fp.start_offset AS first_start, fp.end_offset AS first_end,
      fs.id AS first_source_id, fs.title AS first_source_title, fs.url AS first_source_url,
      (SELECT ${pairs} FROM event_participants p JOIN actors a ON a.id = p.actor_id WHERE p.event_id = e.id AND p.deleted_at IS NULL) AS participant_names`)}`,
    table: `events e
      LEFT JOIN provenance fp ON fp.id = (SELECT p.id FROM provenance p WHERE p.event_id = e.id AND p.deleted_at IS NULL ORDER BY p.start_offset, p.id LIMIT 1)
      LEFT JOIN sources fs ON fs.id = fp.source_id`,
  };
}

function summaryRow(row: Record<string, unknown>): EventSummaryRow {
  // A million of these make an export: one object per event, the summary columns left on it
  // (nothing reads them) rather than copied off.
  const provenance =
    row.first_source_id === null
      ? []
      : [
          sourceRefOf({
            excerpt: row.first_excerpt as string,
            start_offset: row.first_start,
            end_offset: row.first_end,
            source_id: row.first_source_id as string,
            title: row.first_source_title as string,
            url: row.first_source_url as string | null,
          }),
        ];
  const names = row.participant_names;
  const pairs = (typeof names === 'string' ? JSON.parse(names) : (names ?? [])) as [string, string][];
  const event = typedEventRow(row, provenance) as EventSummaryRow;
  event.participantNames = pairs.map(([role, name]) => ({ role, name }));
  return event;
}

export interface NewParticipant {
  actorId: string;
  role: string;
  notes?: string | null;
  provenance: ProvenanceLink[];
}

export interface NewEvent {
  id: string;
  data: Omit<Prisma.EventUncheckedCreateInput, 'id'>;
  provenance: ProvenanceLink[];
  participants: NewParticipant[];
}

export function participantId(eventId: string, actorId: string, role: string): string {
  return derivedId('par', eventId, actorId, role);
}

/** Whole events by id (live or not), with their provenance, in any order. */
export async function loadEventRows(db: Db, provider: DatabaseProvider, ids: string[]): Promise<EventRow[]> {
  return eventsWithProvenance(db, provider, await eventColumnRows(db, provider, ids));
}

/** Event rows by id (live or not) as raw SQL returns them, untyped and without provenance. */
function eventColumnRows(db: Db, provider: DatabaseProvider, ids: string[]): Promise<Record<string, unknown>[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return inChunks(ids, (chunk) => query<Record<string, unknown>>(db, provider, sql`SELECT ${EVENT_COLUMNS} FROM events e WHERE ${inList(raw('e.id'), chunk)}`));
}

/** Event rows by id (live or not), typed, without their provenance (which is left empty). */
export async function loadEventColumns(db: Db, provider: DatabaseProvider, ids: string[]): Promise<EventRow[]> {
  return (await eventColumnRows(db, provider, ids)).map((row) => typedEventRow(row, []));
}

/** Event rows as raw SQL returns them, typed, with their provenance (one set query). */
async function eventsWithProvenance(db: Db, provider: DatabaseProvider, rows: Record<string, unknown>[]): Promise<EventRow[]> {
  const provenance = await provenanceOf(db, provider, 'event_id', rows.map((row) => row.id as string));
  return rows.map((row) => typedEventRow(row, provenance.get(row.id as string) ?? []));
}

/** The live participants of the events, with actor names and provenance, by role then id. */
export async function loadParticipantRows(db: Db, provider: DatabaseProvider, eventIds: string[]): Promise<ParticipantRow[]> {
  if (eventIds.length === 0) return [];
  const rows = await inChunks(eventIds, (chunk) =>
    query<Record<string, unknown>>(
      db,
      provider,
      sql`SELECT p.id, p.event_id AS "eventId", p.actor_id AS "actorId", p.role, p.notes, p.created_at AS "createdAt",
                 p.updated_at AS "updatedAt", p.version, p.deleted_at AS "deletedAt", a.name AS actor_name
            FROM event_participants p JOIN actors a ON a.id = p.actor_id
           WHERE ${inList(raw('p.event_id'), chunk)} AND p.deleted_at IS NULL
           ORDER BY p.role, p.id`,
    ),
  );
  const provenance = await provenanceOf(db, provider, 'participant_id', rows.map((row) => row.id as string));
  return rows.map(({ actor_name: actorName, ...row }) => ({
    ...(row as unknown as ParticipantRow),
    version: Number(row.version),
    createdAt: dateOf(row.createdAt),
    updatedAt: dateOf(row.updatedAt),
    deletedAt: null,
    actor: { id: row.actorId as string, name: actorName as string },
    provenance: provenance.get(row.id as string) ?? [],
  }));
}

export function createEventsRepository(db: Db, provider: DatabaseProvider) {
  const loadEvents = (ids: string[]) => loadEventRows(db, provider, ids);
  const withProvenance = (rows: Record<string, unknown>[]) => eventsWithProvenance(db, provider, rows);

  // Counting every match of a filter over a million events takes a while: slow counts are
  // kept while no write has committed since (StampedCache).
  const counts = new StampedCache<number>(() => latestRevision(db, provider));
  const planList = createEventListPlanner(db, provider);

  return {
    async list(filter: EventFilter, page: PageQuery) {
      return findPageSql<EventRow>(
        { db, provider, table: 'events e', alias: 'e', where: eventConditions(filter, provider, await planList(filter, page)), load: loadEvents, counts },
        page,
      );
    },

    /**
     * Every event matching the filter, in `sort` order, as chunks of whole events: exports
     * read the whole result this way, in constant memory, one keyset query per chunk.
     */
    async *scan(filter: EventFilter, sort: SortTerm[], chunk = 500): AsyncGenerator<EventRow[]> {
      const source = { db, provider, table: 'events e', alias: 'e', columns: EVENT_COLUMNS, where: eventConditions(filter, provider) };
      for await (const rows of scanSql(source, sort, chunk)) yield await withProvenance(rows);
    },

    async findById(id: string): Promise<EventRow | null> {
      const [row] = await loadEvents([id]);
      return row && row.deletedAt === null ? row : null;
    },

    async exists(ids: string[]): Promise<Set<string>> {
      const rows = await inChunks(ids, (chunk) =>
        db.event.findMany({ where: { id: { in: chunk }, deletedAt: null }, select: { id: true } }),
      );
      return new Set(rows.map((row) => row.id));
    },

    /**
     * Every event matching the filter, in `sort` order, as chunks of summaries: what the
     * CSV and GeoJSON exports show, in one keyset query per chunk (no provenance or
     * participant queries beside it).
     */
    async *scanSummaries(filter: EventFilter, sort: SortTerm[], chunk = 1000): AsyncGenerator<EventSummaryRow[]> {
      const { columns, table } = summaryColumns(provider);
      const source = { db, provider, table, alias: 'e', columns, where: eventConditions(filter, provider) };
      for await (const rows of scanSql(source, sort, chunk)) yield rows.map(summaryRow);
    },

    participantsOf(eventIds: string[]): Promise<ParticipantRow[]> {
      return loadParticipantRows(db, provider, eventIds);
    },

    childrenOf(eventIds: string[]) {
      return inChunks(eventIds, (chunk) =>
        db.event.findMany({
          where: { parentId: { in: chunk }, deletedAt: null },
          select: { id: true, title: true, parentId: true },
          orderBy: [{ startDate: 'asc' }, { id: 'asc' }],
        }),
      );
    },

    /** The event and all its descendants' ids, breadth first. */
    async subtreeIds(rootId: string): Promise<string[]> {
      const seen = [rootId];
      let frontier = [rootId];
      while (frontier.length > 0) {
        const children = await inChunks(frontier, (chunk) =>
          db.event.findMany({ where: { parentId: { in: chunk }, deletedAt: null }, select: { id: true } }),
        );
        frontier = children.map((c) => c.id).filter((id) => !seen.includes(id));
        seen.push(...frontier);
      }
      return seen;
    },

    /** Writes an event, its participants and all their provenance (inside a write transaction). */
    async insert(event: NewEvent): Promise<void> {
      await db.event.create({ data: { id: event.id, ...event.data } });
      await db.provenance.createMany({ data: provenanceRows({ eventId: event.id }, event.provenance) });
      await this.replaceParticipants(event.id, event.participants);
    },

    update(id: string, version: number, data: Prisma.EventUncheckedUpdateManyInput): Promise<boolean> {
      return updateVersioned(db.event, id, version, data);
    },

    replaceProvenance(id: string, links: ProvenanceLink[]): Promise<void> {
      return replaceProvenance(db, { eventId: id }, links);
    },

    /** Makes `participants` the event's live participants; others become tombstones. */
    async replaceParticipants(eventId: string, participants: NewParticipant[]): Promise<void> {
      const keep = participants.map((p) => participantId(eventId, p.actorId, p.role));
      await db.eventParticipant.updateMany({
        where: { eventId, deletedAt: null, id: { notIn: keep } },
        data: { deletedAt: new Date(), version: { increment: 1 } },
      });
      for (const [i, participant] of participants.entries()) {
        const id = keep[i];
        await db.eventParticipant.upsert({
          where: { id },
          create: { id, eventId, actorId: participant.actorId, role: participant.role, notes: participant.notes ?? null },
          update: { deletedAt: null, notes: participant.notes ?? null, version: { increment: 1 } },
        });
        await replaceProvenance(db, { participantId: id }, participant.provenance);
      }
    },

    tombstone(id: string, version: number): Promise<boolean> {
      return tombstoneVersioned(db.event, id, version);
    },

    isTombstoned(id: string): Promise<boolean> {
      return isTombstoned(db.event, id);
    },

    idInUse(id: string): Promise<boolean> {
      return idInUse(db.event, id);
    },

    /** The event (live or tombstoned) holding an external id, if any. */
    async holderOfExternalId(externalId: string): Promise<string | null> {
      return (await db.event.findFirst({ where: { externalId }, select: { id: true } }))?.id ?? null;
    },

    ancestorIds(id: string): Promise<string[]> {
      return ancestorIds(db.event, id);
    },

    /** What still points at a live event, which must not lose it (one query at a time: it runs in a transaction). */
    async referrers(id: string) {
      return {
        children: await db.event.count({ where: { parentId: id, deletedAt: null } }),
        casualty_reports: await db.casualtyReport.count({ where: { eventId: id, deletedAt: null } }),
        statements: await db.statementEvent.count({ where: { eventId: id, deletedAt: null, statement: { deletedAt: null } } }),
      };
    },
  };
}

export type EventsRepository = ReturnType<typeof createEventsRepository>;
