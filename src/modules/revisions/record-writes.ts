import type { z } from 'zod';
import { ConflictError, GoneError, InvalidInputError, NotFoundError, StaleVersionError } from '../../domain/errors.js';
import { recordDiff } from '../../domain/record-diff.js';
import type { RevisionsRepository } from './revisions.repository.js';

// The steps every write shares, whatever the resource: find the live record (404, or 410
// for a tombstone), honour If-Match, validate the merged record, refuse to orphan
// referrers, and record the revision in the same transaction.

export interface WriteContext {
  /** Who writes: the API key's name, or "seed". */
  actor: string;
  /** The version the client based its change on (from If-Match), if it sent one. */
  expectedVersion?: number;
}

export async function requireLive<T>(
  resource: string,
  id: string,
  load: () => Promise<T | null>,
  tombstoned: () => Promise<boolean>,
): Promise<T> {
  const row = await load();
  if (row) return row;
  if (await tombstoned()) throw new GoneError(resource, id);
  throw new NotFoundError(resource, id);
}

function checkVersion(resource: string, id: string, current: number, context: WriteContext): void {
  if (context.expectedVersion !== undefined && context.expectedVersion !== current) {
    throw new StaleVersionError(resource, id, current);
  }
}

/** Applies a JSON merge patch: a key set to null removes the field. */
function mergePatch(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  return merged;
}

/** Validates a record as a whole (after a patch) with its create schema. */
function validateWhole<S extends z.ZodType>(schema: S, record: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(record);
  if (parsed.success) return parsed.data;
  throw new InvalidInputError(
    `The ${what} would not be valid after this change.`,
    parsed.error.issues.map((issue) => ({ path: ['body', ...issue.path].join('.'), message: issue.message })),
  );
}

function refuseIfReferenced(resource: string, id: string, referrers: Record<string, number>): void {
  const live = Object.entries(referrers).filter(([, count]) => count > 0);
  if (live.length === 0) return;
  const list = live.map(([what, count]) => `${count} ${what.replace(/_/g, ' ')}`).join(', ');
  throw new ConflictError(`The ${resource} "${id}" is still referred to by ${list}; change or delete those first.`);
}

function refuseExisting(resource: string, id: string, exists: boolean): void {
  if (exists) throw new ConflictError(`A ${resource} with the id "${id}" already exists (or existed and was deleted).`);
}

async function recordRevision(
  revisions: Pick<RevisionsRepository, 'record'>,
  resource: string,
  id: string,
  context: WriteContext,
  before: { version: number } | null,
  after: { version: number } | null,
): Promise<void> {
  await revisions.record({
    resource,
    recordId: id,
    version: after?.version ?? (before ? before.version + 1 : 1),
    action: before === null ? 'created' : after === null ? 'deleted' : 'updated',
    changedBy: context.actor,
    changes: recordDiff(before, after),
    snapshot: after,
  });
}

/** The input form of embedded provenance, for merging a patch into a record. */
export function sourcesInput(sources: { id: string; excerpt: string }[]) {
  return sources.map((s) => ({ id: s.id, excerpt: s.excerpt }));
}

/** Drops null fields, so a stored record reads as the input that would create it. */
export function withoutNulls(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== null && value !== undefined));
}

/** How one resource is stored, for the shared create / update / remove flow below. */
export interface RecordWritesSpec<Resource extends { id: string; version: number }, Input, Prepared, Repos, RawInput = Input> {
  /** For messages: "event". */
  label: string;
  /** The changes feed's name: "events". */
  feed: string;
  newId(): string;
  inTransaction<T>(work: (repos: Repos) => Promise<T>): Promise<T>;
  /** The live record as writers and the history see it (404 / 410 otherwise). */
  snapshot(repos: Repos, id: string): Promise<Resource>;
  /** The create input that would make `record`, to merge a patch into. */
  toInput(record: Resource): Record<string, unknown>;
  /** Validates a whole record (create body, or a record after a patch). */
  schema: z.ZodType<Input, RawInput>;
  /** Checks references and provenance; what to store. */
  prepare(repos: Repos, id: string, input: Input): Promise<Prepared>;
  /** Whether the id is taken, by a live record or a tombstone. */
  taken(repos: Repos, id: string): Promise<boolean>;
  insert(repos: Repos, id: string, prepared: Prepared): Promise<void>;
  /** Stores a change if the row is still at `version`; `patch` says which lists were sent. */
  update(repos: Repos, id: string, version: number, prepared: Prepared, patch: Record<string, unknown>, before: Resource): Promise<boolean>;
  tombstone(repos: Repos, id: string, version: number): Promise<boolean>;
  /** What live records still point at this one (deleting it is refused while any do). */
  referrers?(repos: Repos, id: string): Promise<Record<string, number>>;
  revisions(repos: Repos): Pick<RevisionsRepository, 'record'>;
}

/**
 * Create, update and remove for one resource, each one serialized write transaction that
 * records its revision: the same steps for every resource, so the rules cannot drift.
 */
export function createRecordWrites<
  Resource extends { id: string; version: number },
  Input extends { id?: string },
  Prepared,
  Repos,
  RawInput = Input,
>(spec: RecordWritesSpec<Resource, Input, Prepared, Repos, RawInput>) {
  return {
    /** Validated here too, so callers other than the routes (the seed) obey the same schema. */
    create(raw: RawInput, context: WriteContext): Promise<Resource> {
      const input = validateWhole(spec.schema, raw, spec.label);
      return spec.inTransaction(async (repos) => {
        const id = input.id ?? spec.newId();
        refuseExisting(spec.label, id, await spec.taken(repos, id));
        await spec.insert(repos, id, await spec.prepare(repos, id, input));
        const after = await spec.snapshot(repos, id);
        await recordRevision(spec.revisions(repos), spec.feed, id, context, null, after);
        return after;
      });
    },

    /** A merge patch, validated as a whole record; lists that are sent replace the stored ones. */
    update(id: string, patch: Record<string, unknown>, context: WriteContext): Promise<Resource> {
      return spec.inTransaction(async (repos) => {
        const before = await spec.snapshot(repos, id);
        checkVersion(spec.label, id, before.version, context);
        const input = validateWhole(spec.schema, mergePatch(spec.toInput(before), patch), spec.label);
        const prepared = await spec.prepare(repos, id, input);
        if (!(await spec.update(repos, id, before.version, prepared, patch, before))) throw new NotFoundError(spec.label, id);
        const after = await spec.snapshot(repos, id);
        await recordRevision(spec.revisions(repos), spec.feed, id, context, before, after);
        return after;
      });
    },

    /** A tombstone, refused while live records still refer to the record. */
    remove(id: string, context: WriteContext): Promise<void> {
      return spec.inTransaction(async (repos) => {
        const before = await spec.snapshot(repos, id);
        checkVersion(spec.label, id, before.version, context);
        if (spec.referrers) refuseIfReferenced(spec.label, id, await spec.referrers(repos, id));
        await spec.tombstone(repos, id, before.version);
        await recordRevision(spec.revisions(repos), spec.feed, id, context, before, null);
      });
    },
  };
}
