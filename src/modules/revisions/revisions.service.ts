import type { RevisionRow, RevisionsRepository } from './revisions.repository.js';

export interface ChangesPage {
  rows: ReturnType<typeof toChange>[];
  /** The sequence number to resume after. */
  lastSeq: number;
}

function parse<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

export function toRevision(row: RevisionRow) {
  return {
    seq: row.seq,
    version: row.version,
    action: row.action as 'created' | 'updated' | 'deleted',
    changed_by: row.changedBy,
    changed_at: row.changedAt.toISOString(),
    changes: parse<Record<string, { from: unknown; to: unknown }>>(row.changes) ?? {},
  };
}

export function toChange(row: RevisionRow) {
  return {
    seq: row.seq,
    resource: row.resource,
    id: row.recordId,
    action: row.action as 'created' | 'updated' | 'deleted',
    version: row.version,
    changed_at: row.changedAt.toISOString(),
    record: parse<Record<string, unknown>>(row.snapshot),
  };
}

export function createRevisionsService(deps: { revisions: Pick<RevisionsRepository, 'history' | 'feed' | 'maxSeq'> }) {
  return {
    async history(resource: string, recordId: string) {
      return (await deps.revisions.history(resource, recordId)).map(toRevision);
    },

    async changes(afterSeq: number, since: Date | undefined, limit: number): Promise<ChangesPage> {
      // Read first: if nothing at or after `since` turns up, everything up to here is older.
      const newestBefore = since ? await deps.revisions.maxSeq() : afterSeq;
      const rows = await deps.revisions.feed(afterSeq, since, limit);
      if (rows.length > 0) return { rows: rows.map(toChange), lastSeq: rows[rows.length - 1].seq };
      return { rows: [], lastSeq: newestBefore };
    },
  };
}

export type RevisionsService = ReturnType<typeof createRevisionsService>;
