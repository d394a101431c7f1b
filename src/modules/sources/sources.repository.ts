import type { Db, Prisma } from '../../db/prisma.js';
import { findPage, findPageSql, type PageQuery } from '../../db/keyset.js';
import { inChunks } from '../../db/chunks.js';
import type { DatabaseProvider } from '../../db/database-url.js';
import { sourceConditions } from './sources.sql.js';
import { idInUse, isTombstoned, tombstoneVersioned, updateVersioned } from '../../db/versioning.js';

export interface SourceFilter {
  q?: string;
  publishers?: string[];
  from?: string;
  to?: string;
  updatedSince?: Date;
}

// The full text can be large, so lists read only whether it is there.
export const sourceColumns = {
  id: true,
  title: true,
  publisher: true,
  url: true,
  originalUrl: true,
  language: true,
  publishedOn: true,
  kind: true,
  credit: true,
  notes: true,
  createdAt: true,
  updatedAt: true,
  version: true,
} satisfies Prisma.SourceSelect;
export type SourceRow = Prisma.SourceGetPayload<{ select: typeof sourceColumns }> & { text?: string | null; hasText: boolean };

export function createSourcesRepository(db: Db, provider: DatabaseProvider) {
  // Text search has no Prisma form: a filter with `q` is answered in SQL (sources.sql.ts).
  function whereOf(filter: Omit<SourceFilter, 'q'>): Prisma.SourceWhereInput {
    const and: Prisma.SourceWhereInput[] = [{ deletedAt: null }];
    if (filter.publishers) and.push({ publisher: { in: filter.publishers } });
    if (filter.from) and.push({ publishedOn: { gte: filter.from } });
    if (filter.to) and.push({ publishedOn: { lte: filter.to } });
    if (filter.updatedSince) and.push({ updatedAt: { gte: filter.updatedSince } });
    return { AND: and };
  }

  async function withTextFlag<T extends { id: string }>(rows: T[]): Promise<(T & { hasText: boolean })[]> {
    if (rows.length === 0) return [];
    const withText = await inChunks(
      rows.map((r) => r.id),
      (chunk) => db.source.findMany({ where: { id: { in: chunk }, text: { not: null } }, select: { id: true } }),
    );
    const ids = new Set(withText.map((r) => r.id));
    return rows.map((row) => ({ ...row, hasText: ids.has(row.id) }));
  }

  return {
    async list(filter: SourceFilter, page: PageQuery) {
      const result = filter.q
        ? await findPageSql(
            {
              db,
              provider,
              table: 'sources src',
              alias: 'src',
              where: sourceConditions(filter, provider),
              load: (ids) => db.source.findMany({ where: { id: { in: ids } }, select: sourceColumns }),
            },
            page,
          )
        : await findPage(db.source, whereOf(filter) as Record<string, unknown>, page, { select: sourceColumns });
      return { ...result, rows: (await withTextFlag(result.rows as SourceRow[])) as SourceRow[] };
    },

    async findById(id: string, withText: boolean): Promise<SourceRow | null> {
      const row = await db.source.findFirst({
        where: { id, deletedAt: null },
        select: { ...sourceColumns, text: withText },
      });
      if (!row) return null;
      const [flagged] = await withTextFlag([row]);
      return flagged;
    },

    async exists(ids: string[]): Promise<Set<string>> {
      const rows = await inChunks(ids, (chunk) =>
        db.source.findMany({ where: { id: { in: chunk }, deletedAt: null }, select: { id: true } }),
      );
      return new Set(rows.map((row) => row.id));
    },

    async insert(id: string, data: Omit<Prisma.SourceUncheckedCreateInput, 'id'>): Promise<void> {
      await db.source.create({ data: { id, ...data } });
    },

    update(id: string, version: number, data: Prisma.SourceUncheckedUpdateManyInput): Promise<boolean> {
      return updateVersioned(db.source, id, version, data);
    },

    tombstone(id: string, version: number): Promise<boolean> {
      return tombstoneVersioned(db.source, id, version);
    },

    isTombstoned(id: string): Promise<boolean> {
      return isTombstoned(db.source, id);
    },

    idInUse(id: string): Promise<boolean> {
      return idInUse(db.source, id);
    },

    /** Live provenance citing the source, and the excerpts it holds. */
    async citations(id: string): Promise<{ excerpt: string }[]> {
      return db.provenance.findMany({ where: { sourceId: id, deletedAt: null }, select: { excerpt: true } });
    },
  };
}

export type SourcesRepository = ReturnType<typeof createSourcesRepository>;
