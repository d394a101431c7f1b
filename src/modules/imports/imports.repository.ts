import { inChunks } from '../../db/chunks.js';
import type { DriverTransaction, Prisma } from '../../db/prisma.js';
import { dateOf, inList, join, numberOrNull, raw, render, sql, type Sql } from '../../db/sql.js';
import type { ActorRow } from '../actors/actors.repository.js';
import { loadReportRows, type CasualtyReportRow } from '../casualty-reports/casualty-reports.repository.js';
import { loadEventColumns, loadEventRows, loadParticipantRows, type EventRow, type ParticipantRow } from '../events/events.repository.js';
import { provenanceOf } from '../provenance/provenance.repository.js';
import type { NewRevision } from '../revisions/revisions.repository.js';
import { sourceColumns, type SourceRow } from '../sources/sources.repository.js';

// The bulk reads and writes of an import, all inside one batch's write transaction and all
// straight through the driver (Database.writeOnDriver): a few statements per batch
// (multi-row inserts, id-list reads), never one service call per row, and no ORM in between.
// The snapshots for the changes feed are read back by the same raw loaders the API's reads
// use, so a revision shows a record exactly as GET does.

// Bind parameters per statement: under SQLite's historical cap of 999, where statements
// are cheap to prepare and their texts repeat from batch to batch (the prepared statement
// is kept).
const MAX_PARAMETERS = 900;
const TIMESTAMPS = new Set(['createdAt', 'updatedAt', 'deletedAt', 'changedAt']);

const columnOf = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** `"col" AS "field"` for each field, so rows come back with the model's field names. */
const fields = (names: string[], alias = '') => raw(names.map((name) => `${alias}"${columnOf(name)}" AS "${name}"`).join(', '));

export type EventData = Omit<Prisma.EventUncheckedCreateInput, 'id' | 'createdAt' | 'updatedAt' | 'version' | 'deletedAt'>;
export type SourceData = Omit<Prisma.SourceUncheckedCreateInput, 'id' | 'createdAt' | 'updatedAt' | 'version' | 'deletedAt'>;
export type CasualtyData = Omit<Prisma.CasualtyReportUncheckedCreateInput, 'id' | 'createdAt' | 'updatedAt' | 'version' | 'deletedAt'>;

const SOURCE_FIELDS = ['id', 'title', 'publisher', 'url', 'originalUrl', 'language', 'publishedOn', 'kind', 'credit', 'notes', 'text', 'deletedAt'];
const REPORT_FIELDS = [
  'id', 'eventId', 'reportedById', 'statementId', 'reportedOn', 'reportedOnPrecision', 'periodStart', 'periodEnd', 'category', 'affectedActorId',
  'affectedCountry', 'killedMin', 'killedMax', 'injuredMin', 'injuredMax', 'qualifier', 'notes', 'deletedAt',
];
const PARTICIPANT_FIELDS = ['id', 'eventId', 'actorId', 'role', 'notes', 'deletedAt'];
const PROVENANCE_FIELDS = ['id', 'eventId', 'participantId', 'casualtyReportId', 'startOffset', 'endOffset', 'deletedAt'];
/** A source as GET shows it: the columns lists read, and its text. */
const SOURCE_SNAPSHOT_FIELDS = [...Object.keys(sourceColumns), 'text'];
const ACTOR_FIELDS = ['id', 'name', 'kind', 'country', 'parentId', 'title', 'notes', 'createdAt', 'updatedAt', 'version', 'deletedAt'];

/** Stored rows as the batch writer compares them: the tombstone as null or not, numbers as numbers. */
type Stored<T> = T & { id: string; deletedAt: unknown };

export function createImportsRepository(tx: DriverTransaction) {
  const { provider } = tx;
  const all = <Row>(fragment: Sql): Promise<Row[]> => {
    const { text, values } = render(fragment, provider);
    return tx.all(text, values) as Promise<Row[]>;
  };
  const run = (fragment: Sql): Promise<number> => {
    const { text, values } = render(fragment, provider);
    return tx.run(text, values);
  };
  /** Rows of `table` whose `column` is in `ids` (no query for none), chunked. */
  const rowsWhere = <Row>(columns: Sql, table: string, column: string, ids: string[], extra: Sql = raw('1 = 1')): Promise<Row[]> =>
    ids.length === 0 ? Promise.resolve([]) : inChunks(ids, (chunk) => all<Row>(sql`SELECT ${columns} FROM ${raw(table)} WHERE ${inList(raw(column), chunk)} AND ${extra}`));
  const byId = <Row extends { id: string }>(rows: Row[]) => new Map(rows.map((row) => [row.id, row]));

  /**
   * Multi-row INSERTs, as many rows per statement as the parameter cap allows. Timestamps
   * are written in the form Prisma writes them, so reads see no difference.
   */
  async function insertRows(table: string, rows: Record<string, unknown>[]): Promise<void> {
    if (rows.length === 0) return;
    const names = [...new Set(rows.flatMap((row) => Object.keys(row)))];
    const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / names.length));
    const columns = names.map((name) => `"${columnOf(name)}"`).join(', ');
    // The text is built here, not from sql`` fragments: the statement repeats with each chunk size.
    const placeholder = (name: string, n: number) => (provider === 'sqlite' ? '?' : TIMESTAMPS.has(name) ? `$${n}::timestamp(3)` : `$${n}`);
    for (let i = 0; i < rows.length; i += perStatement) {
      const chunk = rows.slice(i, i + perStatement);
      let n = 0;
      const tuples = chunk.map(() => `(${names.map((name) => placeholder(name, (n += 1))).join(', ')})`);
      const values = chunk.flatMap((row) => names.map((name) => row[name] ?? null));
      await tx.run(`INSERT INTO "${table}" (${columns}) VALUES ${tuples.join(', ')}`, values);
    }
  }

  /** New records: created and updated now, version 1 (the column default). */
  const insert = (table: string, rows: object[]) => {
    const now = new Date();
    return insertRows(table, rows.map((row) => ({ ...row, createdAt: now, updatedAt: now })));
  };

  /** Sets `data` on one row and bumps its version, as Prisma's update with `@updatedAt` does. */
  async function update(table: string, where: Sql, data: Record<string, unknown>): Promise<void> {
    const sets = Object.entries(data).map(([name, value]) => sql`${raw(`"${columnOf(name)}"`)} = ${value ?? null}`);
    await run(sql`UPDATE ${raw(`"${table}"`)} SET ${join([...sets, sql`version = version + 1`, sql`updated_at = ${new Date()}`], ', ')} WHERE ${where}`);
  }

  /** Tombstones the live rows among `ids`. */
  async function tombstone(table: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const now = new Date();
    await inChunks(ids, async (chunk) => {
      await update(table, sql`${inList(raw('id'), chunk)} AND deleted_at IS NULL`, { deletedAt: now });
      return [];
    });
  }

  return {
    /** Live actors by exact name, then by alias; the lowest id wins a tie. */
    async actorsByName(names: string[]): Promise<Map<string, string>> {
      const found = new Map<string, string>();
      const byName = await rowsWhere<{ id: string; name: string }>(raw('id, name'), 'actors', 'name', names, raw('deleted_at IS NULL ORDER BY id'));
      for (const row of byName) if (!found.has(row.name)) found.set(row.name, row.id);
      const rest = names.filter((name) => !found.has(name));
      const byAlias = await rowsWhere<{ actor_id: string; alias: string }>(
        raw('al.actor_id, al.alias'),
        'actor_aliases al JOIN actors a ON a.id = al.actor_id',
        'al.alias',
        rest,
        raw('al.deleted_at IS NULL AND a.deleted_at IS NULL ORDER BY al.actor_id'),
      );
      for (const row of byAlias) if (!found.has(row.alias)) found.set(row.alias, row.actor_id);
      return found;
    },

    /** Which of the ids are taken, and whether by a tombstone. */
    async actorIds(ids: string[]): Promise<Map<string, { deleted: boolean }>> {
      const rows = await rowsWhere<{ id: string; deleted_at: unknown }>(raw('id, deleted_at'), 'actors', 'id', ids);
      return new Map(rows.map((row) => [row.id, { deleted: row.deleted_at !== null }]));
    },

    async eventsByExternalId(externalIds: string[]): Promise<Map<string, { id: string; deleted: boolean }>> {
      const rows = await rowsWhere<{ id: string; external_id: string; deleted_at: unknown }>(raw('id, external_id, deleted_at'), 'events', 'external_id', externalIds);
      return new Map(rows.map((row) => [row.external_id, { id: row.id, deleted: row.deleted_at !== null }]));
    },

    /** Event rows, live or tombstoned. */
    async events(ids: string[]): Promise<Map<string, EventRow>> {
      return byId(await loadEventColumns(tx.db, provider, ids));
    },

    async liveEventIds(ids: string[]): Promise<Set<string>> {
      const rows = await rowsWhere<{ id: string }>(raw('id'), 'events', 'id', ids, raw('deleted_at IS NULL'));
      return new Set(rows.map((row) => row.id));
    },

    async liveActorIds(ids: string[]): Promise<Set<string>> {
      const rows = await rowsWhere<{ id: string }>(raw('id'), 'actors', 'id', ids, raw('deleted_at IS NULL'));
      return new Set(rows.map((row) => row.id));
    },

    /** The parent chain above an event, nearest first. */
    async ancestorIds(startId: string): Promise<string[]> {
      const seen: string[] = [];
      let current: string | null = startId;
      while (current && !seen.includes(current)) {
        seen.push(current);
        const [row]: { parent_id: string | null }[] = await all(sql`SELECT parent_id FROM events WHERE id = ${current}`);
        current = row?.parent_id ?? null;
      }
      return seen;
    },

    /** Participants of the events, live and tombstoned. */
    participants(eventIds: string[]) {
      return rowsWhere<{ id: string; eventId: string; actorId: string; role: string; notes: string | null; deletedAt: unknown }>(
        fields(PARTICIPANT_FIELDS),
        'event_participants',
        'event_id',
        eventIds,
      );
    },

    /** Provenance of the given subjects, live and tombstoned. */
    async provenance(subjects: { eventIds: string[]; participantIds: string[]; casualtyReportIds: string[] }) {
      type Row = { id: string; eventId: string | null; participantId: string | null; casualtyReportId: string | null; startOffset: number | null; endOffset: number | null; deletedAt: unknown };
      const of = async (column: string, ids: string[]) =>
        (await rowsWhere<Row>(fields(PROVENANCE_FIELDS), 'provenance', column, ids)).map((row) => ({
          ...row,
          startOffset: numberOrNull(row.startOffset),
          endOffset: numberOrNull(row.endOffset),
        }));
      return [...(await of('event_id', subjects.eventIds)), ...(await of('participant_id', subjects.participantIds)), ...(await of('casualty_report_id', subjects.casualtyReportIds))];
    },

    async sources(ids: string[]): Promise<Map<string, Stored<SourceData>>> {
      return byId(await rowsWhere<Stored<SourceData>>(fields(SOURCE_FIELDS), 'sources', 'id', ids));
    },

    /** The stored text of live sources (null when a source has none). */
    async sourceTexts(ids: string[]): Promise<Map<string, string | null>> {
      const rows = await rowsWhere<{ id: string; text: string | null }>(raw('id, text'), 'sources', 'id', ids, raw('deleted_at IS NULL'));
      return new Map(rows.map((row) => [row.id, row.text]));
    },

    async casualtyReports(ids: string[]): Promise<Map<string, Stored<CasualtyData>>> {
      const rows = await rowsWhere<Stored<CasualtyData>>(fields(REPORT_FIELDS), 'casualty_reports', 'id', ids);
      return byId(
        rows.map((row) => ({
          ...row,
          killedMin: numberOrNull(row.killedMin),
          killedMax: numberOrNull(row.killedMax),
          injuredMin: numberOrNull(row.injuredMin),
          injuredMax: numberOrNull(row.injuredMax),
        })),
      );
    },

    // ---- writes ----

    insertSources: (rows: Prisma.SourceCreateManyInput[]) => insert('sources', rows),
    insertActors: (rows: Prisma.ActorCreateManyInput[]) => insert('actors', rows),
    insertEvents: (rows: Prisma.EventCreateManyInput[]) => insert('events', rows),
    insertParticipants: (rows: Prisma.EventParticipantCreateManyInput[]) => insert('event_participants', rows),
    insertCasualtyReports: (rows: Prisma.CasualtyReportCreateManyInput[]) => insert('casualty_reports', rows),
    insertProvenance: (rows: Prisma.ProvenanceCreateManyInput[]) => insert('provenance', rows),

    updateEvent: (id: string, data: EventData) => update('events', sql`id = ${id}`, data),
    updateSource: (id: string, data: SourceData) => update('sources', sql`id = ${id}`, data),
    updateCasualtyReport: (id: string, data: CasualtyData) => update('casualty_reports', sql`id = ${id}`, data),

    /** Brings a participant back (or changes its notes). */
    reviveParticipant: (id: string, notes: string | null) => update('event_participants', sql`id = ${id}`, { deletedAt: null, notes }),

    reviveProvenance: (id: string, startOffset: number | null, endOffset: number | null) =>
      update('provenance', sql`id = ${id}`, { deletedAt: null, startOffset, endOffset }),

    tombstoneParticipants: (ids: string[]) => tombstone('event_participants', ids),
    tombstoneProvenance: (ids: string[]) => tombstone('provenance', ids),

    /** The changes feed's entries for the batch, in multi-row inserts. */
    recordRevisions(revisions: NewRevision[]): Promise<void> {
      const now = new Date();
      return insertRows(
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

    async eventSnapshots(ids: string[]): Promise<EventRow[]> {
      return (await loadEventRows(tx.db, provider, ids)).filter((row) => row.deletedAt === null);
    },

    participantSnapshots(eventIds: string[]): Promise<ParticipantRow[]> {
      return loadParticipantRows(tx.db, provider, eventIds);
    },

    async actorSnapshots(ids: string[]): Promise<ActorRow[]> {
      const rows = await rowsWhere<Record<string, unknown> & { id: string }>(fields(ACTOR_FIELDS), 'actors', 'id', ids, raw('deleted_at IS NULL'));
      const aliases = await rowsWhere<{ actor_id: string; id: string; alias: string } & Record<string, unknown>>(
        raw('actor_id, id, alias, created_at, updated_at, version'),
        'actor_aliases',
        'actor_id',
        rows.map((row) => row.id),
        raw('deleted_at IS NULL ORDER BY alias'),
      );
      const provenance = await provenanceOf(tx.db, provider, 'actor_id', rows.map((row) => row.id));
      return rows.map((row) => ({
        ...(row as unknown as ActorRow),
        createdAt: dateOf(row.createdAt),
        updatedAt: dateOf(row.updatedAt),
        version: Number(row.version),
        deletedAt: null,
        aliases: aliases
          .filter((alias) => alias.actor_id === row.id)
          .map((alias) => ({
            id: alias.id,
            actorId: alias.actor_id,
            alias: alias.alias,
            createdAt: dateOf(alias.created_at),
            updatedAt: dateOf(alias.updated_at),
            version: Number(alias.version),
            deletedAt: null,
          })),
        provenance: (provenance.get(row.id) ?? []) as ActorRow['provenance'],
      }));
    },

    casualtyReportSnapshots(ids: string[]): Promise<CasualtyReportRow[]> {
      return loadReportRows(tx.db, provider, 'c.id', ids);
    },

    async sourceSnapshots(ids: string[]): Promise<SourceRow[]> {
      const rows = await rowsWhere<Record<string, unknown>>(fields(SOURCE_SNAPSHOT_FIELDS), 'sources', 'id', ids, raw('deleted_at IS NULL'));
      return rows.map((row) => ({
        ...(row as unknown as SourceRow),
        createdAt: dateOf(row.createdAt),
        updatedAt: dateOf(row.updatedAt),
        version: Number(row.version),
        hasText: row.text !== null,
      }));
    },
  };
}

export type ImportsRepository = ReturnType<typeof createImportsRepository>;
