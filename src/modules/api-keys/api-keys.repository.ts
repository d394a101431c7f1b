import type { Db } from '../../db/prisma.js';

// API key rows. Only the SHA-256 of a key is ever stored; the key itself never reaches
// this file. Soft-deleted rows (deletedAt) are invisible to every method.

export interface NewApiKey {
  id: string;
  name: string;
  /** The lookup part of the key, stored in clear. */
  prefix: string;
  /** Hex SHA-256 of the whole key. */
  secretHash: string;
  /** Comma-separated, e.g. `read,write`. */
  scopes: string;
}

const listed = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  createdAt: true,
  revokedAt: true,
} as const;

export type ApiKeyRow = { id: string; name: string; prefix: string; scopes: string; createdAt: Date; revokedAt: Date | null };
export type ApiKeyWithHash = ApiKeyRow & { secretHash: string };

export class DuplicateApiKeyError extends Error {}

/** Prisma's "unique constraint failed" code, the same through both driver adapters. */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

export function createApiKeysRepository(db: Db) {
  return {
    /** Inserts a key; throws DuplicateApiKeyError when its name or prefix is taken. */
    async create(key: NewApiKey): Promise<ApiKeyRow> {
      try {
        return await db.apiKey.create({ data: key, select: listed });
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateApiKeyError('an API key with this name or prefix exists');
        throw error;
      }
    },

    findByPrefix(prefix: string): Promise<ApiKeyWithHash | null> {
      return db.apiKey.findFirst({ where: { prefix, deletedAt: null }, select: { ...listed, secretHash: true } });
    },

    list(): Promise<ApiKeyRow[]> {
      return db.apiKey.findMany({ where: { deletedAt: null }, select: listed, orderBy: [{ createdAt: 'asc' }, { name: 'asc' }] });
    },

    /** An id wins over a name, so a key named like another key's id cannot shadow it. */
    async findByNameOrId(nameOrId: string): Promise<ApiKeyRow | null> {
      return (
        (await db.apiKey.findFirst({ where: { id: nameOrId, deletedAt: null }, select: listed })) ??
        (await db.apiKey.findFirst({ where: { name: nameOrId, deletedAt: null }, select: listed }))
      );
    },

    /** Marks the key revoked (once: a second call changes nothing) and returns it. */
    async revoke(id: string, at: Date = new Date()): Promise<ApiKeyRow | null> {
      await db.apiKey.updateMany({
        where: { id, deletedAt: null, revokedAt: null },
        data: { revokedAt: at, version: { increment: 1 } },
      });
      return db.apiKey.findFirst({ where: { id, deletedAt: null }, select: listed });
    },
  };
}

export type ApiKeysRepository = ReturnType<typeof createApiKeysRepository>;
