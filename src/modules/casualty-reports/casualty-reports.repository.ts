import type { DatabaseProvider } from '../../db/database-url.js';
import type { Db, Prisma } from '../../db/prisma.js';
import { findPage, type PageQuery } from '../../db/keyset.js';
import { inChunks } from '../../db/chunks.js';
import { dateOf, inList, numberOrNull, query, raw, sql } from '../../db/sql.js';
import { provenanceInclude, provenanceOf, provenanceRows, replaceProvenance, type ProvenanceLink } from '../provenance/provenance.repository.js';
import type { SourceRefRow } from '../provenance/provenance.service.js';
import { idInUse, isTombstoned, tombstoneVersioned, updateVersioned } from '../../db/versioning.js';

export interface CasualtyReportFilter {
  events?: string[];
  reportedBy?: string[];
  categories?: string[];
  sideActors?: string[];
  sideCountries?: string[];
  from?: string;
  to?: string;
  updatedSince?: Date;
  sourceId?: string;
}

const ref = { select: { id: true, name: true } } as const;
export const casualtyShape = {
  include: {
    event: { select: { id: true, title: true } },
    reportedBy: ref,
    affectedActor: ref,
    provenance: provenanceInclude,
  },
} satisfies Prisma.CasualtyReportDefaultArgs;
/** A report with its event, actors and provenance, as Prisma's include or raw SQL reads it. */
export type CasualtyReportRow = Omit<Prisma.CasualtyReportGetPayload<typeof casualtyShape>, 'provenance'> & { provenance: SourceRefRow[] };

// The reports of a page of events are read by raw SQL, like the events themselves: Prisma's
// include machinery (a query per relation, joined in JavaScript) cost more than the work.
const REPORT_COLUMNS = raw(
  `c.id, c.event_id AS "eventId", c.reported_by_id AS "reportedById", c.statement_id AS "statementId", c.reported_on AS "reportedOn",
   c.reported_on_precision AS "reportedOnPrecision", c.period_start AS "periodStart", c.period_end AS "periodEnd", c.category,
   c.affected_actor_id AS "affectedActorId", c.affected_country AS "affectedCountry", c.killed_min AS "killedMin", c.killed_max AS "killedMax",
   c.injured_min AS "injuredMin", c.injured_max AS "injuredMax", c.qualifier, c.notes, c.created_at AS "createdAt", c.updated_at AS "updatedAt",
   c.version, c.deleted_at AS "deletedAt", e.title AS event_title, r.name AS reporter_name, x.name AS affected_name`,
);

function reportOf(row: Record<string, unknown>, provenance: SourceRefRow[]): CasualtyReportRow {
  const { event_title: eventTitle, reporter_name: reporterName, affected_name: affectedName, ...report } = row;
  return {
    ...(report as unknown as CasualtyReportRow),
    killedMin: numberOrNull(row.killedMin),
    killedMax: numberOrNull(row.killedMax),
    injuredMin: numberOrNull(row.injuredMin),
    injuredMax: numberOrNull(row.injuredMax),
    version: Number(row.version),
    createdAt: dateOf(row.createdAt),
    updatedAt: dateOf(row.updatedAt),
    deletedAt: row.deletedAt === null ? null : dateOf(row.deletedAt),
    event: { id: row.eventId as string, title: eventTitle as string },
    reportedBy: row.reportedById === null ? null : { id: row.reportedById as string, name: reporterName as string },
    affectedActor: row.affectedActorId === null ? null : { id: row.affectedActorId as string, name: affectedName as string },
    provenance,
  };
}

const byPeriodThenId = (a: CasualtyReportRow, b: CasualtyReportRow) =>
  a.periodStart === b.periodStart ? (a.id < b.id ? -1 : 1) : a.periodStart < b.periodStart ? -1 : 1;

export interface NewCasualtyReport {
  id: string;
  data: Omit<Prisma.CasualtyReportUncheckedCreateInput, 'id'>;
  provenance: ProvenanceLink[];
}

function whereOf(filter: CasualtyReportFilter): Prisma.CasualtyReportWhereInput {
  const and: Prisma.CasualtyReportWhereInput[] = [{ deletedAt: null }];
  if (filter.events) and.push({ eventId: { in: filter.events } });
  if (filter.reportedBy) and.push({ reportedById: { in: filter.reportedBy } });
  if (filter.categories) and.push({ category: { in: filter.categories } });
  if (filter.sideActors || filter.sideCountries) {
    and.push({
      OR: [
        ...(filter.sideActors ? [{ affectedActorId: { in: filter.sideActors } }] : []),
        ...(filter.sideCountries ? [{ affectedCountry: { in: filter.sideCountries } }] : []),
      ],
    });
  }
  if (filter.from) and.push({ periodEnd: { gte: filter.from } });
  if (filter.to) and.push({ periodStart: { lte: filter.to } });
  if (filter.updatedSince) and.push({ updatedAt: { gte: filter.updatedSince } });
  if (filter.sourceId) and.push({ provenance: { some: { sourceId: filter.sourceId, deletedAt: null } } });
  return { AND: and };
}

/** The live reports whose `column` is in `ids` (report or event ids), oldest period first, by raw SQL. */
export async function loadReportRows(db: Db, provider: DatabaseProvider, column: 'c.id' | 'c.event_id', ids: string[]): Promise<CasualtyReportRow[]> {
  if (ids.length === 0) return [];
  const rows = await inChunks(ids, (chunk) =>
    query<Record<string, unknown>>(
      db,
      provider,
      sql`SELECT ${REPORT_COLUMNS}
            FROM casualty_reports c JOIN events e ON e.id = c.event_id
            LEFT JOIN actors r ON r.id = c.reported_by_id LEFT JOIN actors x ON x.id = c.affected_actor_id
           WHERE ${inList(raw(column), chunk)} AND c.deleted_at IS NULL`,
    ),
  );
  const provenance = await provenanceOf(db, provider, 'casualty_report_id', rows.map((row) => row.id as string));
  return rows.map((row) => reportOf(row, provenance.get(row.id as string) ?? [])).sort(byPeriodThenId);
}

export function createCasualtyReportsRepository(db: Db, provider: DatabaseProvider) {
  return {
    list(filter: CasualtyReportFilter, page: PageQuery) {
      return findPage<CasualtyReportRow>(db.casualtyReport, whereOf(filter) as Record<string, unknown>, page, casualtyShape);
    },

    /** Every live report matching the filter, oldest period first (for small, bounded sets; a page of events reads ofEvents). */
    findAll(filter: CasualtyReportFilter): Promise<CasualtyReportRow[]> {
      return db.casualtyReport.findMany({ ...casualtyShape, where: whereOf(filter), orderBy: [{ periodStart: 'asc' }, { id: 'asc' }] });
    },

    /** Every live report on these events, oldest period first, by raw SQL (the include of an event page). */
    ofEvents(eventIds: string[]): Promise<CasualtyReportRow[]> {
      return loadReportRows(db, provider, 'c.event_id', eventIds);
    },

    findById(id: string): Promise<CasualtyReportRow | null> {
      return db.casualtyReport.findFirst({ ...casualtyShape, where: { id, deletedAt: null } });
    },

    async exists(ids: string[]): Promise<Set<string>> {
      const rows = await inChunks(ids, (chunk) =>
        db.casualtyReport.findMany({ where: { id: { in: chunk }, deletedAt: null }, select: { id: true } }),
      );
      return new Set(rows.map((row) => row.id));
    },

    async insert(report: NewCasualtyReport): Promise<void> {
      await db.casualtyReport.create({ data: { id: report.id, ...report.data } });
      await db.provenance.createMany({ data: provenanceRows({ casualtyReportId: report.id }, report.provenance) });
    },

    update(id: string, version: number, data: Prisma.CasualtyReportUncheckedUpdateManyInput): Promise<boolean> {
      return updateVersioned(db.casualtyReport, id, version, data);
    },

    replaceProvenance(id: string, links: ProvenanceLink[]): Promise<void> {
      return replaceProvenance(db, { casualtyReportId: id }, links);
    },

    tombstone(id: string, version: number): Promise<boolean> {
      return tombstoneVersioned(db.casualtyReport, id, version);
    },

    isTombstoned(id: string): Promise<boolean> {
      return isTombstoned(db.casualtyReport, id);
    },

    idInUse(id: string): Promise<boolean> {
      return idInUse(db.casualtyReport, id);
    },
  };
}

export type CasualtyReportsRepository = ReturnType<typeof createCasualtyReportsRepository>;
