import type { Db, Prisma } from '../../db/prisma.js';
import { findPage, findPageSql, type PageQuery } from '../../db/keyset.js';
import { ID_CHUNK, inChunks } from '../../db/chunks.js';
import type { DatabaseProvider } from '../../db/database-url.js';
import { statementConditions } from './statements.sql.js';
import { derivedId } from '../../domain/ids.js';
import { provenanceInclude, provenanceRows, replaceProvenance, type ProvenanceLink } from '../provenance/provenance.repository.js';
import { idInUse, isTombstoned, tombstoneVersioned, updateVersioned } from '../../db/versioning.js';

export interface StatementFilter {
  q?: string;
  speakers?: string[];
  onBehalfOf?: string[];
  targets?: string[];
  events?: string[];
  kinds?: string[];
  from?: string;
  to?: string;
  attributions?: string[];
  updatedSince?: Date;
  sourceId?: string;
}

const ref = { select: { id: true, name: true } } as const;
const statementShape = {
  include: {
    speaker: ref,
    onBehalfOf: ref,
    targets: { where: { deletedAt: null }, orderBy: { actorId: 'asc' }, include: { actor: ref } },
    events: {
      where: { deletedAt: null },
      orderBy: { eventId: 'asc' },
      include: { event: { select: { id: true, title: true } } },
    },
    provenance: provenanceInclude,
  },
} satisfies Prisma.StatementDefaultArgs;
export type StatementRow = Prisma.StatementGetPayload<typeof statementShape>;

export interface NewStatement {
  id: string;
  data: Omit<Prisma.StatementUncheckedCreateInput, 'id'>;
  targetIds: string[];
  eventIds: string[];
  provenance: ProvenanceLink[];
}

export function createStatementsRepository(db: Db, provider: DatabaseProvider) {
  // Text search has no Prisma form: a filter with `q` is answered in SQL (statements.sql.ts).
  function whereOf(filter: Omit<StatementFilter, 'q'>): Prisma.StatementWhereInput {
    const and: Prisma.StatementWhereInput[] = [{ deletedAt: null }];
    if (filter.speakers) and.push({ speakerId: { in: filter.speakers } });
    if (filter.onBehalfOf) and.push({ onBehalfOfId: { in: filter.onBehalfOf } });
    if (filter.targets) and.push({ targets: { some: { actorId: { in: filter.targets }, deletedAt: null } } });
    if (filter.events) and.push({ events: { some: { eventId: { in: filter.events }, deletedAt: null } } });
    if (filter.kinds) and.push({ kind: { in: filter.kinds } });
    if (filter.from) and.push({ saidOn: { gte: filter.from } });
    if (filter.to) and.push({ saidOn: { lte: filter.to } });
    if (filter.attributions) and.push({ attribution: { in: filter.attributions } });
    if (filter.updatedSince) and.push({ updatedAt: { gte: filter.updatedSince } });
    if (filter.sourceId) and.push({ provenance: { some: { sourceId: filter.sourceId, deletedAt: null } } });
    return { AND: and };
  }

  return {
    async list(filter: StatementFilter, page: PageQuery) {
      if (!filter.q) return findPage<StatementRow>(db.statement, whereOf(filter) as Record<string, unknown>, page, statementShape);
      return findPageSql<StatementRow>(
        {
          db,
          provider,
          table: 'statements s',
          alias: 's',
          where: statementConditions(filter, provider),
          load: (ids) => db.statement.findMany({ ...statementShape, where: { id: { in: ids } } }),
        },
        page,
      );
    },

    /** Every matching statement; a long id list (a page's includes) is queried in chunks. */
    async findAll(filter: Omit<StatementFilter, 'q'>): Promise<StatementRow[]> {
      const query = (f: Omit<StatementFilter, 'q'>) =>
        db.statement.findMany({ ...statementShape, where: whereOf(f), orderBy: [{ saidOn: 'asc' }, { id: 'asc' }] });
      const key = (['events', 'speakers', 'targets'] as const).find((k) => (filter[k]?.length ?? 0) > ID_CHUNK);
      if (!key) return query(filter);
      const rows = await inChunks(filter[key]!, (chunk) => query({ ...filter, [key]: chunk }));
      const unique = new Map(rows.map((row) => [row.id, row]));
      return [...unique.values()].sort((a, b) => (a.saidOn === b.saidOn ? (a.id < b.id ? -1 : 1) : a.saidOn < b.saidOn ? -1 : 1));
    },

    findById(id: string): Promise<StatementRow | null> {
      return db.statement.findFirst({ ...statementShape, where: { id, deletedAt: null } });
    },

    async exists(ids: string[]): Promise<Set<string>> {
      const rows = await inChunks(ids, (chunk) =>
        db.statement.findMany({ where: { id: { in: chunk }, deletedAt: null }, select: { id: true } }),
      );
      return new Set(rows.map((row) => row.id));
    },

    async insert(statement: NewStatement): Promise<void> {
      await db.statement.create({ data: { id: statement.id, ...statement.data } });
      await this.replaceLinks(statement.id, statement.targetIds, statement.eventIds);
      await db.provenance.createMany({ data: provenanceRows({ statementId: statement.id }, statement.provenance) });
    },

    update(id: string, version: number, data: Prisma.StatementUncheckedUpdateManyInput): Promise<boolean> {
      return updateVersioned(db.statement, id, version, data);
    },

    /** Makes these the statement's live targets and related events. */
    async replaceLinks(statementId: string, targetIds: string[], eventIds: string[]): Promise<void> {
      const now = new Date();
      const targets = targetIds.map((actorId) => ({ id: derivedId('tgt', statementId, actorId), statementId, actorId }));
      const events = eventIds.map((eventId) => ({ id: derivedId('sev', statementId, eventId), statementId, eventId }));
      await db.statementTarget.updateMany({
        where: { statementId, deletedAt: null, id: { notIn: targets.map((t) => t.id) } },
        data: { deletedAt: now, version: { increment: 1 } },
      });
      await db.statementEvent.updateMany({
        where: { statementId, deletedAt: null, id: { notIn: events.map((e) => e.id) } },
        data: { deletedAt: now, version: { increment: 1 } },
      });
      for (const target of targets) {
        await db.statementTarget.upsert({ where: { id: target.id }, create: target, update: { deletedAt: null, version: { increment: 1 } } });
      }
      for (const event of events) {
        await db.statementEvent.upsert({ where: { id: event.id }, create: event, update: { deletedAt: null, version: { increment: 1 } } });
      }
    },

    replaceProvenance(id: string, links: ProvenanceLink[]): Promise<void> {
      return replaceProvenance(db, { statementId: id }, links);
    },

    tombstone(id: string, version: number): Promise<boolean> {
      return tombstoneVersioned(db.statement, id, version);
    },

    isTombstoned(id: string): Promise<boolean> {
      return isTombstoned(db.statement, id);
    },

    idInUse(id: string): Promise<boolean> {
      return idInUse(db.statement, id);
    },

    async referrers(id: string) {
      return { casualty_reports: await db.casualtyReport.count({ where: { statementId: id, deletedAt: null } }) };
    },
  };
}

export type StatementsRepository = ReturnType<typeof createStatementsRepository>;
