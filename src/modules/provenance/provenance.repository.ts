import type { DatabaseProvider } from '../../db/database-url.js';
import { inChunks } from '../../db/chunks.js';
import type { Db, Prisma } from '../../db/prisma.js';
import { inList, numberOrNull, query, raw, sql } from '../../db/sql.js';
import type { SourceRefRow } from './provenance.service.js';

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

/** The subject columns of provenance that raw reads group by. */
export type ProvenanceColumn = 'actor_id' | 'event_id' | 'participant_id' | 'casualty_report_id';

/**
 * The live provenance of the subjects in `ids`, grouped by subject, in the order
 * `provenanceInclude` gives: raw SQL, one query per chunk of ids, for reads of many records.
 */
export async function provenanceOf(db: Db, provider: DatabaseProvider, column: ProvenanceColumn, ids: string[]): Promise<Map<string, SourceRefRow[]>> {
  const grouped = new Map<string, SourceRefRow[]>();
  if (ids.length === 0) return grouped;
  type Row = { subject: string; excerpt: string; start_offset: unknown; end_offset: unknown; source_id: string; title: string; url: string | null };
  const rows = await inChunks(ids, (chunk) =>
    query<Row>(
      db,
      provider,
      sql`SELECT p.${raw(column)} AS subject, p.excerpt, p.start_offset, p.end_offset, s.id AS source_id, s.title, s.url
            FROM provenance p JOIN sources s ON s.id = p.source_id
           WHERE ${inList(raw(`p.${column}`), chunk)} AND p.deleted_at IS NULL
           ORDER BY p.start_offset, p.id`,
    ),
  );
  // Each subject's rows come from one chunk, in the order of the include.
  for (const row of rows) {
    const list = grouped.get(row.subject) ?? [];
    list.push(sourceRefOf(row));
    grouped.set(row.subject, list);
  }
  return grouped;
}

/** A cited passage and its source, from the columns raw SQL reads them as. */
export function sourceRefOf(row: { excerpt: string; start_offset: unknown; end_offset: unknown; source_id: string; title: string; url: string | null }): SourceRefRow {
  return {
    excerpt: row.excerpt,
    startOffset: numberOrNull(row.start_offset),
    endOffset: numberOrNull(row.end_offset),
    source: { id: row.source_id, title: row.title, url: row.url },
  };
}
