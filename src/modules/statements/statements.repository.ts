import type { Db, Prisma } from '../../db/prisma.js';
import { findPage, type PageQuery } from '../../db/keyset.js';
import type { DatabaseProvider } from '../../db/database-url.js';
import { textMatch } from '../../db/text-search.js';
import { derivedId } from '../../domain/ids.js';
import { provenanceInclude, provenanceRows, type ProvenanceLink } from '../provenance/provenance.repository.js';

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
  async function whereOf(filter: StatementFilter): Promise<Prisma.StatementWhereInput> {
    const and: Prisma.StatementWhereInput[] = [{ deletedAt: null }];
    if (filter.q) and.push(await textMatch(db, provider, { table: 'statements', columns: ['summary', 'quote'] }, filter.q));
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
      return findPage<StatementRow>(db.statement, (await whereOf(filter)) as Record<string, unknown>, page, statementShape);
    },

    async findAll(filter: StatementFilter): Promise<StatementRow[]> {
      return db.statement.findMany({ ...statementShape, where: await whereOf(filter), orderBy: [{ saidOn: 'asc' }, { id: 'asc' }] });
    },

    findById(id: string): Promise<StatementRow | null> {
      return db.statement.findFirst({ ...statementShape, where: { id, deletedAt: null } });
    },

    async exists(ids: string[]): Promise<Set<string>> {
      const rows = await db.statement.findMany({ where: { id: { in: ids }, deletedAt: null }, select: { id: true } });
      return new Set(rows.map((row) => row.id));
    },

    async create(statement: NewStatement): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.statement.create({ data: { id: statement.id, ...statement.data } });
        await tx.statementTarget.createMany({
          data: statement.targetIds.map((actorId) => ({
            id: derivedId('tgt', statement.id, actorId),
            statementId: statement.id,
            actorId,
          })),
        });
        await tx.statementEvent.createMany({
          data: statement.eventIds.map((eventId) => ({
            id: derivedId('sev', statement.id, eventId),
            statementId: statement.id,
            eventId,
          })),
        });
        await tx.provenance.createMany({ data: provenanceRows({ statementId: statement.id }, statement.provenance) });
      });
    },
  };
}

export type StatementsRepository = ReturnType<typeof createStatementsRepository>;
