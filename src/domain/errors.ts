// Domain errors. Services throw these; the HTTP layer maps each class to a status and an
// RFC 9457 problem (src/http/problem.ts). None of them knows about HTTP.

export interface FieldError {
  /** Where the problem is, e.g. `query.country` or `body.participants.0.actor_id`. */
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: 'not_found' | 'gone' | 'invalid' | 'conflict' | 'stale' | 'unprocessable';
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found' as const;
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`No ${resource} has the id "${id}".`);
  }
}

export class InvalidInputError extends DomainError {
  readonly kind = 'invalid' as const;
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

export class ConflictError extends DomainError {
  readonly kind = 'conflict' as const;
}

/** The record existed and was deleted; its tombstone stays in the changes feed. */
export class GoneError extends DomainError {
  readonly kind = 'gone' as const;
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`The ${resource} "${id}" was deleted.`);
  }
}

/** A write based on a version that is no longer current (If-Match did not match). */
export class StaleVersionError extends DomainError {
  readonly kind = 'stale' as const;
  constructor(
    readonly resource: string,
    readonly id: string,
    readonly currentVersion: number,
  ) {
    super(
      `The ${resource} "${id}" has changed: it is at version ${currentVersion}. Fetch it again, reapply your change and send its new ETag in If-Match.`,
    );
  }
}

/** Well-formed, but cannot be processed as asked (e.g. an Idempotency-Key reused for another request). */
export class UnprocessableError extends DomainError {
  readonly kind = 'unprocessable' as const;
}
