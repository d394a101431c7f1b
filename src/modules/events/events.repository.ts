import type { Db, Prisma } from '../../db/prisma.js';
import { findPage, findPageSql, type PageQuery } from '../../db/keyset.js';
import { inChunks } from '../../db/chunks.js';
import { derivedId } from '../../domain/ids.js';
import { provenanceInclude, provenanceRows, replaceProvenance, type ProvenanceLink } from '../provenance/provenance.repository.js';
import { ancestorIds, idInUse, isTombstoned, tombstoneVersioned, updateVersioned } from '../../db/versioning.js';
import { eventConditions } from './events.sql.js';

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

export const eventShape = { include: { provenance: provenanceInclude } } satisfies Prisma.EventDefaultArgs;
export type EventRow = Prisma.EventGetPayload<typeof eventShape>;

export const participantShape = {
  include: { actor: { select: { id: true, name: true } }, provenance: provenanceInclude },
} satisfies Prisma.EventParticipantDefaultArgs;
export type ParticipantRow = Prisma.EventParticipantGetPayload<typeof participantShape>;

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

export function createEventsRepository(db: Db, provider: 'sqlite' | 'postgresql') {
  // Text search has no Prisma form: a filter with `q` is answered in SQL (events.sql.ts).
  function whereOf(filter: Omit<EventFilter, 'q'>): Prisma.EventWhereInput {
    const and: Prisma.EventWhereInput[] = [{ deletedAt: null }];
    if (filter.eventTypes) and.push({ eventType: { in: filter.eventTypes } });
    if (filter.subEventTypes) and.push({ subEventType: { in: filter.subEventTypes } });
    if (filter.countries) and.push({ country: { in: filter.countries } });
    if (filter.admin1) and.push({ admin1: { in: filter.admin1 } });
    // Date ranges overlap the requested window: the event may have happened inside it.
    if (filter.from) and.push({ endDate: { gte: filter.from } });
    if (filter.to) and.push({ startDate: { lte: filter.to } });
    if (filter.actors || filter.actorRoles) {
      and.push({
        participants: {
          some: {
            deletedAt: null,
            ...(filter.actors ? { actorId: { in: filter.actors } } : {}),
            ...(filter.actorRoles ? { role: { in: filter.actorRoles } } : {}),
          },
        },
      });
    }
    if (filter.parents) and.push({ parentId: { in: filter.parents } });
    if (filter.statuses) and.push({ status: { in: filter.statuses } });
    if (filter.bbox) {
      const { minLon, minLat, maxLon, maxLat } = filter.bbox;
      and.push({ latitude: { gte: minLat, lte: maxLat }, longitude: { gte: minLon, lte: maxLon } });
    }
    if (filter.updatedSince) and.push({ updatedAt: { gte: filter.updatedSince } });
    if (filter.ids) and.push({ id: { in: filter.ids } });
    if (filter.externalIds) and.push({ externalId: { in: filter.externalIds } });
    if (filter.sourceId) and.push({ provenance: { some: { sourceId: filter.sourceId, deletedAt: null } } });
    return { AND: and };
  }

  return {
    async list(filter: EventFilter, page: PageQuery) {
      if (!filter.q) return findPage<EventRow>(db.event, whereOf(filter) as Record<string, unknown>, page, eventShape);
      return findPageSql<EventRow>(
        {
          db,
          provider,
          table: 'events e',
          alias: 'e',
          where: eventConditions(filter, provider),
          load: (ids) => db.event.findMany({ ...eventShape, where: { id: { in: ids } } }),
        },
        page,
      );
    },

    findById(id: string): Promise<EventRow | null> {
      return db.event.findFirst({ ...eventShape, where: { id, deletedAt: null } });
    },

    async exists(ids: string[]): Promise<Set<string>> {
      const rows = await inChunks(ids, (chunk) =>
        db.event.findMany({ where: { id: { in: chunk }, deletedAt: null }, select: { id: true } }),
      );
      return new Set(rows.map((row) => row.id));
    },

    participantsOf(eventIds: string[]): Promise<ParticipantRow[]> {
      return inChunks(eventIds, (chunk) =>
        db.eventParticipant.findMany({
          ...participantShape,
          where: { eventId: { in: chunk }, deletedAt: null },
          orderBy: [{ role: 'asc' }, { id: 'asc' }],
        }),
      );
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
