import type { Db } from '../../db/prisma.js';

export interface NewRevision {
  resource: string;
  recordId: string;
  version: number;
  action: 'created' | 'updated' | 'deleted';
  changedBy: string;
  changes: Record<string, { from: unknown; to: unknown }>;
  /** The record after the change; null for a deletion. */
  snapshot: object | null;
}

export function createRevisionsRepository(db: Db) {
  return {
    async record(revision: NewRevision): Promise<void> {
      await db.revision.create({
        data: {
          ...revision,
          changes: JSON.stringify(revision.changes),
          snapshot: revision.snapshot === null ? null : JSON.stringify(revision.snapshot),
        },
      });
    },

    history(resource: string, recordId: string) {
      return db.revision.findMany({ where: { resource, recordId }, orderBy: { seq: 'asc' } });
    },

    /** The newest sequence number (0 when nothing was ever written). */
    async maxSeq(): Promise<number> {
      return (await db.revision.aggregate({ _max: { seq: true } }))._max.seq ?? 0;
    },

    /** Changes after `afterSeq` (and at or after `since`), in commit order. */
    feed(afterSeq: number, since: Date | undefined, limit: number) {
      return db.revision.findMany({
        where: { seq: { gt: afterSeq }, ...(since ? { changedAt: { gte: since } } : {}) },
        orderBy: { seq: 'asc' },
        take: limit,
      });
    },
  };
}

export type RevisionsRepository = ReturnType<typeof createRevisionsRepository>;
export type RevisionRow = Awaited<ReturnType<RevisionsRepository['history']>>[number];
