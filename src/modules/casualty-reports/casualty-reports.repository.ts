import type { Db, Prisma } from '../../db/prisma.js';
import { findPage, type PageQuery } from '../../db/keyset.js';
import { ID_CHUNK, inChunks } from '../../db/chunks.js';
import { provenanceInclude, provenanceRows, replaceProvenance, type ProvenanceLink } from '../provenance/provenance.repository.js';
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
export type CasualtyReportRow = Prisma.CasualtyReportGetPayload<typeof casualtyShape>;

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

export function createCasualtyReportsRepository(db: Db) {
  return {
    list(filter: CasualtyReportFilter, page: PageQuery) {
      return findPage<CasualtyReportRow>(db.casualtyReport, whereOf(filter) as Record<string, unknown>, page, casualtyShape);
    },

    /** Every live report matching the filter, oldest period first (for small, bounded sets). */
    async findAll(filter: CasualtyReportFilter): Promise<CasualtyReportRow[]> {
      const query = (f: CasualtyReportFilter) =>
        db.casualtyReport.findMany({ ...casualtyShape, where: whereOf(f), orderBy: [{ periodStart: 'asc' }, { id: 'asc' }] });
      if (!filter.events || filter.events.length <= ID_CHUNK) return query(filter);
      // A page's worth of event ids: chunked, each report belongs to one event so none repeats.
      const rows = await inChunks(filter.events, (chunk) => query({ ...filter, events: chunk }));
      return rows.sort((a, b) => (a.periodStart === b.periodStart ? (a.id < b.id ? -1 : 1) : a.periodStart < b.periodStart ? -1 : 1));
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
