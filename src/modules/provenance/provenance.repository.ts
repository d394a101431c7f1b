import type { Db, Prisma } from '../../db/prisma.js';

/** The Prisma include that embeds a record's live provenance with its source's title. */
export const provenanceInclude = {
  where: { deletedAt: null },
  orderBy: [{ startOffset: 'asc' }, { id: 'asc' }],
  include: { source: { select: { id: true, title: true, url: true } } },
} satisfies Prisma.Event$provenanceArgs;

export type ProvenanceRow = Prisma.ProvenanceGetPayload<{ include: { source: { select: { id: true; title: true; url: true } } } }>;

export type ProvenanceSubject =
  | { actorId: string }
  | { eventId: string }
  | { participantId: string }
  | { statementId: string }
  | { casualtyReportId: string };

export interface ProvenanceLink {
  id: string;
  sourceId: string;
  excerpt: string;
  startOffset: number | null;
  endOffset: number | null;
}

export function createProvenanceRepository(db: Db) {
  return {
    /** The stored text of each source, for checking excerpts against it. */
    async sourceTexts(sourceIds: string[]): Promise<Map<string, string | null>> {
      const rows = await db.source.findMany({
        where: { id: { in: sourceIds }, deletedAt: null },
        select: { id: true, text: true },
      });
      return new Map(rows.map((row) => [row.id, row.text]));
    },
  };
}

export type ProvenanceRepository = ReturnType<typeof createProvenanceRepository>;

/**
 * Makes `links` the live provenance of a subject: rows no longer cited become tombstones,
 * cited ones are (re)created. Call inside the write transaction.
 */
export async function replaceProvenance(db: Db, subject: ProvenanceSubject, links: ProvenanceLink[]): Promise<void> {
  const keep = links.map((link) => link.id);
  await db.provenance.updateMany({
    where: { ...subject, deletedAt: null, id: { notIn: keep } },
    data: { deletedAt: new Date(), version: { increment: 1 } },
  });
  for (const link of links) {
    await db.provenance.upsert({
      where: { id: link.id },
      create: { ...link, ...subject },
      update: { deletedAt: null, startOffset: link.startOffset, endOffset: link.endOffset, version: { increment: 1 } },
    });
  }
}

/** Rows to create for the provenance of one subject, inside the caller's transaction. */
export function provenanceRows(subject: ProvenanceSubject, links: ProvenanceLink[]): Prisma.ProvenanceCreateManyInput[] {
  return links.map((link) => ({ ...link, ...subject }));
}
