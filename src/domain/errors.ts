// Domain errors. Services throw these; the HTTP layer maps each class to a status and an
// RFC 9457 problem (src/http/problem.ts). None of them knows about HTTP.

export interface FieldError {
  /** Where the problem is, e.g. `query.country` or `body.participants.0.actor_id`. */
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: 'not_found' | 'invalid' | 'conflict';
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
