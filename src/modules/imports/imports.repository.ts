import { inChunks } from '../../db/chunks.js';
import type { DatabaseProvider } from '../../db/database-url.js';
import type { Db, Prisma } from '../../db/prisma.js';
import { timestampValue } from '../../db/sql.js';
import { actorShape, type ActorRow } from '../actors/actors.repository.js';
import { casualtyShape, type CasualtyReportRow } from '../casualty-reports/casualty-reports.repository.js';
import { eventShape, participantShape, type EventRow, type ParticipantRow } from '../events/events.repository.js';
import type { NewRevision } from '../revisions/revisions.repository.js';
import { sourceColumns, type SourceRow } from '../sources/sources.repository.js';

// The bulk reads and writes of an import, all inside one batch's write transaction: a few
// queries per batch (multi-row inserts, id-list reads), never one service call per row.

// Bind parameters per statement stay under SQLite's historical cap of 999.
const MAX_PARAMETERS = 900;
const TIMESTAMPS = new Set(['createdAt', 'updatedAt', 'deletedAt', 'changedAt']);

const columnOf = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Multi-row INSERTs, as many rows per statement as the parameter cap allows. Raw SQL (not
 * createMany) because it is the bulk path: Prisma's per-row work is what a batch must not
 * pay. Timestamps are written in the form Prisma writes them, so reads see no difference.
 */
async function insertRows(db: Db, provider: DatabaseProvider, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const fields = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / fields.length));
  const columns = fields.map((field) => `"${columnOf(field)}"`).join(', ');
  const value = (v: unknown) => (v instanceof Date ? (timestampValue(provider, v) as unknown) : (v ?? null));
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    let n = 0;
    const tuples = chunk.map(
      () =>
        `(${fields
          .map((field) => {
            n += 1;
            if (provider === 'sqlite') return '?';
            return TIMESTAMPS.has(field) ? `$${n}::timestamp(3)` : `$${n}`;
          })
          .join(', ')})`,
    );
    const values = chunk.flatMap((row) => fields.map((field) => value(row[field])));
    await db.$executeRawUnsafe(`INSERT INTO "${table}" (${columns}) VALUES ${tuples.join(', ')}`, ...values);
  }
}

export type EventData = Omit<Prisma.EventUncheckedCreateInput, 'id' | 'createdAt' | 'updatedAt' | 'version' | 'deletedAt'>;
export type SourceData = Omit<Prisma.SourceUncheckedCreateInput, 'id' | 'createdAt' | 'updatedAt' | 'version' | 'deletedAt'>;
export type CasualtyData = Omit<Prisma.CasualtyReportUncheckedCreateInput, 'id' | 'createdAt' | 'updatedAt' | 'version' | 'deletedAt'>;

/** inChunks, without a query for an empty list. */
function each<T>(ids: string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  return ids.length === 0 ? Promise.resolve([]) : inChunks(ids, query);
}

export function createImportsRepository(db: Db, provider: DatabaseProvider) {
  /** New records: created and updated now, version 1 (the column default). */
  const insert = (table: string, rows: object[]) => {
    const now = new Date();
    return insertRows(db, provider, table, rows.map((row) => ({ ...row, createdAt: now, updatedAt: now })));
  };
  return {
    /** Live actors by exact name, then by alias; the lowest id wins a tie. */
    async actorsByName(names: string[]): Promise<Map<string, string>> {
      const found = new Map<string, string>();
      const byName = await each(names, (chunk) =>
        db.actor.findMany({ where: { name: { in: chunk }, deletedAt: null }, select: { id: true, name: true }, orderBy: { id: 'asc' } }),
      );
      for (const row of byName) if (!found.has(row.name)) found.set(row.name, row.id);
      const rest = names.filter((name) => !found.has(name));
      const byAlias = await each(rest, (chunk) =>
        db.actorAlias.findMany({
          where: { alias: { in: chunk }, deletedAt: null, actor: { deletedAt: null } },
          select: { actorId: true, alias: true },
          orderBy: { actorId: 'asc' },
        }),
      );
      for (const row of byAlias) if (!found.has(row.alias)) found.set(row.alias, row.actorId);
      return found;
    },

    /** Which of the ids are taken, and whether by a tombstone. */
    async actorIds(ids: string[]): Promise<Map<string, { deleted: boolean }>> {
      const rows = await each(ids, (chunk) => db.actor.findMany({ where: { id: { in: chunk } }, select: { id: true, deletedAt: true } }));
      return new Map(rows.map((row) => [row.id, { deleted: row.deletedAt !== null }]));
    },

    async eventsByExternalId(externalIds: string[]): Promise<Map<string, { id: string; deleted: boolean }>> {
      const rows = await each(externalIds, (chunk) =>
        db.event.findMany({ where: { externalId: { in: chunk } }, select: { id: true, externalId: true, deletedAt: true } }),
      );
      return new Map(rows.map((row) => [row.externalId!, { id: row.id, deleted: row.deletedAt !== null }]));
    },

    /** Event rows, live or tombstoned. */
    async events(ids: string[]) {
      const rows = await each(ids, (chunk) => db.event.findMany({ where: { id: { in: chunk } } }));
      return new Map(rows.map((row) => [row.id, row]));
    },

    async liveEventIds(ids: string[]): Promise<Set<string>> {
      const rows = await each(ids, (chunk) => db.event.findMany({ where: { id: { in: chunk }, deletedAt: null }, select: { id: true } }));
      return new Set(rows.map((row) => row.id));
    },

    async liveActorIds(ids: string[]): Promise<Set<string>> {
      const rows = await each(ids, (chunk) => db.actor.findMany({ where: { id: { in: chunk }, deletedAt: null }, select: { id: true } }));
      return new Set(rows.map((row) => row.id));
    },

    /** The parent chain above an event, nearest first. */
    async ancestorIds(startId: string): Promise<string[]> {
      const seen: string[] = [];
      let current: string | null = startId;
      while (current && !seen.includes(current)) {
        seen.push(current);
        const row: { parentId: string | null } | null = await db.event.findFirst({ where: { id: current }, select: { parentId: true } });
        current = row?.parentId ?? null;
      }
      return seen;
    },

    /** Participants of the events, live and tombstoned. */
    participants(eventIds: string[]) {
      return each(eventIds, (chunk) => db.eventParticipant.findMany({ where: { eventId: { in: chunk } } }));
    },

    /** Provenance of the given subjects, live and tombstoned. */
    async provenance(subjects: { eventIds: string[]; participantIds: string[]; casualtyReportIds: string[] }) {
      const [events, participants, reports] = [
        await each(subjects.eventIds, (chunk) => db.provenance.findMany({ where: { eventId: { in: chunk } } })),
        await each(subjects.participantIds, (chunk) => db.provenance.findMany({ where: { participantId: { in: chunk } } })),
        await each(subjects.casualtyReportIds, (chunk) => db.provenance.findMany({ where: { casualtyReportId: { in: chunk } } })),
      ];
      return [...events, ...participants, ...reports];
    },

    async sources(ids: string[]) {
      const rows = await each(ids, (chunk) => db.source.findMany({ where: { id: { in: chunk } } }));
      return new Map(rows.map((row) => [row.id, row]));
    },

    /** The stored text of live sources (null when a source has none). */
    async sourceTexts(ids: string[]): Promise<Map<string, string | null>> {
      const rows = await each(ids, (chunk) =>
        db.source.findMany({ where: { id: { in: chunk }, deletedAt: null }, select: { id: true, text: true } }),
      );
      return new Map(rows.map((row) => [row.id, row.text]));
    },

    async casualtyReports(ids: string[]) {
      const rows = await each(ids, (chunk) => db.casualtyReport.findMany({ where: { id: { in: chunk } } }));
      return new Map(rows.map((row) => [row.id, row]));
    },

    // ---- writes ----

    insertSources: (rows: Prisma.SourceCreateManyInput[]) => insert('sources', rows),
    insertActors: (rows: Prisma.ActorCreateManyInput[]) => insert('actors', rows),
    insertEvents: (rows: Prisma.EventCreateManyInput[]) => insert('events', rows),
    insertParticipants: (rows: Prisma.EventParticipantCreateManyInput[]) => insert('event_participants', rows),
    insertCasualtyReports: (rows: Prisma.CasualtyReportCreateManyInput[]) => insert('casualty_reports', rows),
    insertProvenance: (rows: Prisma.ProvenanceCreateManyInput[]) => insert('provenance', rows),

    async updateEvent(id: string, data: EventData): Promise<void> {
      await db.event.update({ where: { id }, data: { ...data, version: { increment: 1 } } });
    },

    async updateSource(id: string, data: SourceData): Promise<void> {
      await db.source.update({ where: { id }, data: { ...data, version: { increment: 1 } } });
    },

    async updateCasualtyReport(id: string, data: CasualtyData): Promise<void> {
      await db.casualtyReport.update({ where: { id }, data: { ...data, version: { increment: 1 } } });
    },

    /** Brings a participant back (or changes its notes). */
    async reviveParticipant(id: string, notes: string | null): Promise<void> {
      await db.eventParticipant.update({ where: { id }, data: { deletedAt: null, notes, version: { increment: 1 } } });
    },

    async reviveProvenance(id: string, startOffset: number | null, endOffset: number | null): Promise<void> {
      await db.provenance.update({ where: { id }, data: { deletedAt: null, startOffset, endOffset, version: { increment: 1 } } });
    },

    async tombstoneParticipants(ids: string[]): Promise<void> {
      await each(ids, async (chunk) => {
        await db.eventParticipant.updateMany({ where: { id: { in: chunk }, deletedAt: null }, data: { deletedAt: new Date(), version: { increment: 1 } } });
        return [];
      });
    },

    async tombstoneProvenance(ids: string[]): Promise<void> {
      await each(ids, async (chunk) => {
        await db.provenance.updateMany({ where: { id: { in: chunk }, deletedAt: null }, data: { deletedAt: new Date(), version: { increment: 1 } } });
        return [];
      });
    },

    /** The changes feed's entries for the batch, in one multi-row insert. */
    recordRevisions(revisions: NewRevision[]): Promise<void> {
      const now = new Date();
      return insertRows(
        db,
        provider,
        'revisions',
        revisions.map((revision) => ({
          changedAt: now,
          ...revision,
          changes: JSON.stringify(revision.changes),
          snapshot: revision.snapshot === null ? null : JSON.stringify(revision.snapshot),
        })),
      );
    },

    // ---- records as the API shows them, for the revisions' snapshots ----

    eventSnapshots(ids: string[]): Promise<EventRow[]> {
      return each(ids, (chunk) => db.event.findMany({ ...eventShape, where: { id: { in: chunk }, deletedAt: null } }));
    },

    participantSnapshots(eventIds: string[]): Promise<ParticipantRow[]> {
      return each(eventIds, (chunk) =>
        db.eventParticipant.findMany({
          ...participantShape,
          where: { eventId: { in: chunk }, deletedAt: null },
          orderBy: [{ role: 'asc' }, { id: 'asc' }],
        }),
      );
    },

    actorSnapshots(ids: string[]): Promise<ActorRow[]> {
      return each(ids, (chunk) => db.actor.findMany({ ...actorShape, where: { id: { in: chunk }, deletedAt: null } }));
    },

    casualtyReportSnapshots(ids: string[]): Promise<CasualtyReportRow[]> {
      return each(ids, (chunk) => db.casualtyReport.findMany({ ...casualtyShape, where: { id: { in: chunk }, deletedAt: null } }));
    },

    async sourceSnapshots(ids: string[]): Promise<SourceRow[]> {
      const rows = await each(ids, (chunk) =>
        db.source.findMany({ where: { id: { in: chunk }, deletedAt: null }, select: { ...sourceColumns, text: true } }),
      );
      return rows.map((row) => ({ ...row, hasText: row.text !== null }));
    },
  };
}

export type ImportsRepository = ReturnType<typeof createImportsRepository>;
