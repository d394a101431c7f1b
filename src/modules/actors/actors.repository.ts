import type { Db, Prisma } from '../../db/prisma.js';
import { findPage, findPageSql, type PageQuery } from '../../db/keyset.js';
import { inChunks } from '../../db/chunks.js';
import type { DatabaseProvider } from '../../db/database-url.js';
import { actorConditions } from './actors.sql.js';
import { derivedId } from '../../domain/ids.js';
import { provenanceInclude, provenanceRows, replaceProvenance, type ProvenanceLink } from '../provenance/provenance.repository.js';
import { ancestorIds, idInUse, isTombstoned, tombstoneVersioned, updateVersioned } from '../../db/versioning.js';

export interface ActorFilter {
  q?: string;
  kinds?: string[];
  countries?: string[];
  parents?: string[];
  updatedSince?: Date;
}

export const actorShape = {
  include: {
    aliases: { where: { deletedAt: null }, orderBy: { alias: 'asc' } },
    provenance: provenanceInclude,
  },
} satisfies Prisma.ActorDefaultArgs;
export type ActorRow = Prisma.ActorGetPayload<typeof actorShape>;

export interface NewActor {
  id: string;
  data: Omit<Prisma.ActorUncheckedCreateInput, 'id'>;
  aliases: string[];
  provenance: ProvenanceLink[];
}

export function createActorsRepository(db: Db, provider: DatabaseProvider) {
  // Text search has no Prisma form: a filter with `q` is answered in SQL (actors.sql.ts).
  function whereOf(filter: Omit<ActorFilter, 'q'>): Prisma.ActorWhereInput {
    const and: Prisma.ActorWhereInput[] = [{ deletedAt: null }];
    if (filter.kinds) and.push({ kind: { in: filter.kinds } });
    if (filter.countries) and.push({ country: { in: filter.countries } });
    if (filter.parents) and.push({ parentId: { in: filter.parents } });
    if (filter.updatedSince) and.push({ updatedAt: { gte: filter.updatedSince } });
    return { AND: and };
  }

  return {
    async list(filter: ActorFilter, page: PageQuery) {
      if (!filter.q) return findPage<ActorRow>(db.actor, whereOf(filter) as Record<string, unknown>, page, actorShape);
      return findPageSql<ActorRow>(
        {
          db,
          provider,
          table: 'actors a',
          alias: 'a',
          where: actorConditions(filter, provider),
          load: (ids) => db.actor.findMany({ ...actorShape, where: { id: { in: ids } } }),
        },
        page,
      );
    },

    findById(id: string): Promise<ActorRow | null> {
      return db.actor.findFirst({ ...actorShape, where: { id, deletedAt: null } });
    },

    async exists(ids: string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await inChunks(ids, (chunk) =>
        db.actor.findMany({ where: { id: { in: chunk }, deletedAt: null }, select: { id: true } }),
      );
      return new Set(rows.map((row) => row.id));
    },

    participationsOf(actorIds: string[]) {
      return inChunks(actorIds, (chunk) =>
        db.eventParticipant.findMany({
          where: { actorId: { in: chunk }, deletedAt: null, event: { deletedAt: null } },
          select: { actorId: true, role: true, event: { select: { id: true, title: true, startDate: true } } },
          orderBy: [{ eventId: 'asc' }, { role: 'asc' }],
        }),
      );
    },

    childrenOf(actorIds: string[]) {
      return inChunks(actorIds, (chunk) =>
        db.actor.findMany({
          where: { parentId: { in: chunk }, deletedAt: null },
          select: { id: true, name: true, parentId: true },
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
        }),
      );
    },

    async insert(actor: NewActor): Promise<void> {
      await db.actor.create({ data: { id: actor.id, ...actor.data } });
      await this.replaceAliases(actor.id, actor.aliases);
      await db.provenance.createMany({ data: provenanceRows({ actorId: actor.id }, actor.provenance) });
    },

    update(id: string, version: number, data: Prisma.ActorUncheckedUpdateManyInput): Promise<boolean> {
      return updateVersioned(db.actor, id, version, data);
    },

    async replaceAliases(actorId: string, aliases: string[]): Promise<void> {
      const keep = aliases.map((alias) => derivedId('als', actorId, alias));
      await db.actorAlias.updateMany({
        where: { actorId, deletedAt: null, id: { notIn: keep } },
        data: { deletedAt: new Date(), version: { increment: 1 } },
      });
      for (const [i, alias] of aliases.entries()) {
        await db.actorAlias.upsert({
          where: { id: keep[i] },
          create: { id: keep[i], actorId, alias },
          update: { deletedAt: null, version: { increment: 1 } },
        });
      }
    },

    replaceProvenance(id: string, links: ProvenanceLink[]): Promise<void> {
      return replaceProvenance(db, { actorId: id }, links);
    },

    tombstone(id: string, version: number): Promise<boolean> {
      return tombstoneVersioned(db.actor, id, version);
    },

    isTombstoned(id: string): Promise<boolean> {
      return isTombstoned(db.actor, id);
    },

    idInUse(id: string): Promise<boolean> {
      return idInUse(db.actor, id);
    },

    ancestorIds(id: string): Promise<string[]> {
      return ancestorIds(db.actor, id);
    },

    /** What still points at a live actor, which must not lose it (one query at a time: it runs in a transaction). */
    async referrers(id: string) {
      const live = { deletedAt: null };
      return {
        children: await db.actor.count({ where: { parentId: id, ...live } }),
        events: await db.eventParticipant.count({ where: { actorId: id, ...live, event: live } }),
        statements:
          (await db.statement.count({ where: { OR: [{ speakerId: id }, { onBehalfOfId: id }], ...live } })) +
          (await db.statementTarget.count({ where: { actorId: id, ...live, statement: live } })),
        casualty_reports: await db.casualtyReport.count({ where: { OR: [{ reportedById: id }, { affectedActorId: id }], ...live } }),
      };
    },
  };
}

export type ActorsRepository = ReturnType<typeof createActorsRepository>;
