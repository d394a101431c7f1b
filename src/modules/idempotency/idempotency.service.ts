import { createHash } from 'node:crypto';
import { ConflictError, UnprocessableError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { IdempotencyRepository } from './idempotency.repository.js';

// POST with an Idempotency-Key: the first response is kept for 24 hours and replayed to
// retries of the same request; the same key with a different request is refused. Keys
// belong to the API key that sent them.

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface Outcome<T> {
  status: number;
  body: T;
  replayed: boolean;
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${JSON.stringify(body ?? null)}`).digest('hex');
}

export function createIdempotencyService(repository: IdempotencyRepository, now: () => number = Date.now) {
  return {
    async run<T>(
      scope: { apiKeyId: string; key: string; requestHash: string },
      execute: () => Promise<{ status: number; body: T }>,
    ): Promise<Outcome<T>> {
      const { apiKeyId, key } = scope;
      const claimed = await repository.claim(newId('idk'), apiKeyId, key, scope.requestHash, new Date(now() + IDEMPOTENCY_TTL_MS));
      if (!claimed) {
        const stored = await repository.find(apiKeyId, key);
        if (stored && stored.requestHash !== scope.requestHash) {
          throw new UnprocessableError(
            `The Idempotency-Key "${key}" was already used for a different request in the last 24 hours; use a new key for a new request.`,
          );
        }
        if (!stored || stored.statusCode === null) {
          throw new ConflictError(`A request with the Idempotency-Key "${key}" is still being processed; retry in a moment.`);
        }
        return { status: stored.statusCode, body: JSON.parse(stored.responseBody ?? 'null') as T, replayed: true };
      }
      try {
        const result = await execute();
        await repository.complete(apiKeyId, key, result.status, JSON.stringify(result.body));
        return { ...result, replayed: false };
      } catch (error) {
        // A failed request leaves nothing behind, so the client may retry with the same key.
        await repository.release(apiKeyId, key);
        throw error;
      }
    },
  };
}

export type IdempotencyService = ReturnType<typeof createIdempotencyService>;
