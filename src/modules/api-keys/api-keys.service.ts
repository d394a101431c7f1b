import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { ConflictError, InvalidInputError, NotFoundError, type FieldError } from '../../domain/errors.js';
import { DuplicateApiKeyError, type ApiKeyRow, type ApiKeysRepository } from './api-keys.repository.js';

// API keys look like `cl_<prefix>_<secret>`: the prefix (8 base62 characters) finds the
// row, the secret (32 random bytes, base64url) proves possession. Only the SHA-256 of the
// whole key is stored, so a copy of the database does not give anyone a working key. The
// key is handed out once by `create` and never stored, logged or put in an error message.

export const API_KEY_SCOPES = ['read', 'write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

const KEY_PREFIX = 'cl_';
const PREFIX_LENGTH = 8;
const SECRET_BYTES = 32;
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** `cl_`, 8 base62 characters, `_`, then at least 32 bytes of base64url. */
const KEY_PATTERN = /^cl_([A-Za-z0-9]{8})_[A-Za-z0-9_-]{43,}$/;
/** Longer than any key we issue by far; longer input is refused before it is hashed. */
const MAX_KEY_LENGTH = 512;
const NAME_MAX = 100;

export interface CreateApiKeyInput {
  name: string;
  scopes: readonly string[];
}

export interface CreatedApiKey {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  /** The whole key. Shown to the caller once; only its hash is kept. */
  key: string;
  created_at: string;
}

export interface ListedApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: string;
  revoked_at: string | null;
}

/** Who a request is, once its key checked out. */
export interface ApiKeyIdentity {
  id: string;
  name: string;
  scopes: string[];
}

export type AuthenticationResult =
  | { status: 'valid'; key: ApiKeyIdentity }
  | { status: 'invalid' }
  | { status: 'revoked'; key: ApiKeyIdentity };

export class ApiKeyNotFoundError extends NotFoundError {
  constructor(nameOrId: string) {
    super('API key', nameOrId);
    this.message = `No API key has the name or id "${nameOrId}".`;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Compared against when there is no stored hash, so a miss costs what a hit costs. */
const DUMMY_HASH = sha256(`${KEY_PREFIX}dummy`);

function randomBase62(length: number): string {
  let out = '';
  // randomInt draws without modulo bias.
  for (let i = 0; i < length; i += 1) out += BASE62[randomInt(BASE62.length)];
  return out;
}

function newKey(): { key: string; prefix: string } {
  const prefix = randomBase62(PREFIX_LENGTH);
  return { prefix, key: `${KEY_PREFIX}${prefix}_${randomBytes(SECRET_BYTES).toString('base64url')}` };
}

function parseScopes(text: string): string[] {
  return text
    .split(',')
    .map((scope) => scope.trim())
    .filter((scope) => scope !== '');
}

function validScopes(scopes: readonly string[]): ApiKeyScope[] {
  const errors: FieldError[] = [];
  if (!Array.isArray(scopes) || scopes.length === 0) {
    errors.push({ path: 'scopes', message: `give at least one scope: ${API_KEY_SCOPES.join(', ')}` });
  } else {
    scopes.forEach((scope, i) => {
      if (!(API_KEY_SCOPES as readonly string[]).includes(scope)) {
        errors.push({ path: `scopes.${i}`, message: `"${scope}" is not a scope; use ${API_KEY_SCOPES.join(' or ')}` });
      }
    });
  }
  if (errors.length > 0) {
    throw new InvalidInputError(`An API key needs one or more of the scopes ${API_KEY_SCOPES.join(', ')}.`, errors);
  }
  // Canonical order, no repeats: `write,read,read` is stored as `read,write`.
  return API_KEY_SCOPES.filter((scope) => scopes.includes(scope));
}

function validName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length < 1 || trimmed.length > NAME_MAX) {
    throw new InvalidInputError(`An API key needs a name of 1 to ${NAME_MAX} characters.`, [
      { path: 'name', message: trimmed.length === 0 ? 'is empty' : `has ${trimmed.length} characters; the most is ${NAME_MAX}` },
    ]);
  }
  return trimmed;
}

function toListed(row: ApiKeyRow): ListedApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: parseScopes(row.scopes),
    created_at: row.createdAt.toISOString(),
    revoked_at: row.revokedAt ? row.revokedAt.toISOString() : null,
  };
}

export function createApiKeysService(repo: ApiKeysRepository) {
  return {
    async create(input: CreateApiKeyInput): Promise<CreatedApiKey> {
      const name = validName(input.name);
      const scopes = validScopes(input.scopes);
      if (await repo.findByNameOrId(name)) {
        throw new ConflictError(`An API key named "${name}" already exists (revoked keys keep their names); choose another name.`);
      }
      // A prefix collision (1 in 62^8 per pair) is retried with a new key.
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const { key, prefix } = newKey();
        try {
          const row = await repo.create({
            id: `key_${randomBytes(12).toString('base64url')}`,
            name,
            prefix,
            secretHash: sha256(key).toString('hex'),
            scopes: scopes.join(','),
          });
          return { id: row.id, name: row.name, scopes, key, created_at: row.createdAt.toISOString() };
        } catch (error) {
          if (!(error instanceof DuplicateApiKeyError)) throw error;
          // Someone took the name meanwhile; otherwise it was the prefix, so try again.
          if (await repo.findByNameOrId(name)) throw new ConflictError(`An API key named "${name}" already exists; choose another name.`);
        }
      }
      throw new Error('could not draw an unused API key prefix');
    },

    async list(): Promise<ListedApiKey[]> {
      return (await repo.list()).map(toListed);
    },

    /** Revokes the key with this name or id. Revoking a revoked key changes nothing. */
    async revoke(nameOrId: string): Promise<ListedApiKey> {
      const found = await repo.findByNameOrId(nameOrId);
      const revoked = found && (await repo.revoke(found.id));
      if (!revoked) throw new ApiKeyNotFoundError(nameOrId);
      return toListed(revoked);
    },

    /**
     * Checks a presented key. A malformed key, an unknown prefix and a wrong secret all
     * answer `invalid` after the same hash and constant-time comparison, so timing does
     * not tell which part was wrong. A revoked key is only reported as revoked to someone
     * holding its secret.
     */
    async authenticate(presentedKey: string): Promise<AuthenticationResult> {
      const presented = typeof presentedKey === 'string' && presentedKey.length <= MAX_KEY_LENGTH ? presentedKey : '';
      const presentedHash = sha256(presented);
      const match = KEY_PATTERN.exec(presented);
      const row = match ? await repo.findByPrefix(match[1]) : null;
      const stored = row ? Buffer.from(row.secretHash, 'hex') : DUMMY_HASH;
      const same = stored.length === presentedHash.length && timingSafeEqual(stored, presentedHash);
      if (!row || !same) {
        if (stored.length !== presentedHash.length) timingSafeEqual(DUMMY_HASH, presentedHash);
        return { status: 'invalid' };
      }
      const key = { id: row.id, name: row.name, scopes: parseScopes(row.scopes) };
      return row.revokedAt ? { status: 'revoked', key } : { status: 'valid', key };
    },
  };
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;
