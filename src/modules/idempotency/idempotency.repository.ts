import type { Db } from '../../db/prisma.js';

export interface StoredResponse {
  requestHash: string;
  statusCode: number | null;
  responseBody: string | null;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'P2002';
}

export function createIdempotencyRepository(db: Db) {
  return {
    /** Claims the key for a request; false when it is already claimed. */
    async claim(id: string, apiKeyId: string, key: string, requestHash: string, expiresAt: Date): Promise<boolean> {
      await db.idempotencyKey.deleteMany({ where: { apiKeyId, key, expiresAt: { lt: new Date() } } });
      try {
        await db.idempotencyKey.create({ data: { id, apiKeyId, key, requestHash, expiresAt } });
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },

    find(apiKeyId: string, key: string): Promise<StoredResponse | null> {
      return db.idempotencyKey.findUnique({
        where: { apiKeyId_key: { apiKeyId, key } },
        select: { requestHash: true, statusCode: true, responseBody: true },
      });
    },

    async complete(apiKeyId: string, key: string, statusCode: number, responseBody: string): Promise<void> {
      await db.idempotencyKey.update({
        where: { apiKeyId_key: { apiKeyId, key } },
        data: { statusCode, responseBody, version: { increment: 1 } },
      });
    },

    async release(apiKeyId: string, key: string): Promise<void> {
      await db.idempotencyKey.deleteMany({ where: { apiKeyId, key, statusCode: null } });
    },

    /** Forgets expired keys (called now and then; lookups ignore them anyway). */
    async purgeExpired(): Promise<number> {
      return (await db.idempotencyKey.deleteMany({ where: { expiresAt: { lt: new Date() } } })).count;
    },
  };
}

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;
