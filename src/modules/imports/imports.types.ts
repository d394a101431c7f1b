import type { ACTOR_KINDS } from '../../domain/vocabulary.js';

export type ActorKind = (typeof ACTOR_KINDS)[number];

export const IMPORT_FORMATS = ['acled', 'ndjson'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Why one row of a file was not imported. */
export interface Rejection {
  /** The line of the file where the row starts (1 is the first line; a CSV header is line 1). */
  line: number;
  /** The column (CSV) or field path (NDJSON) at fault; null when the row as a whole is. */
  column: string | null;
  reason: string;
}

export interface ImportCounts {
  /** Rows read (header excluded, blank lines skipped). */
  rows: number;
  /** Events created. */
  imported: number;
  /** Events that existed (by id or external id) and were changed. */
  updated: number;
  /** Events that existed and already held what the row says. */
  unchanged: number;
  /** Rows skipped: each has at least one entry in the rejection report. */
  rejected: number;
}

export interface ImportProgress extends ImportCounts {
  /** Batches committed so far. */
  batches: number;
}

export interface ImportSummary extends ImportCounts {
  format: ImportFormat;
  batches: number;
  rejections: Rejection[];
}
