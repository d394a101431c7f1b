import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError } from '../../src/domain/errors.js';
import { authPlugin, requireScope } from '../../src/http/auth.js';
import { problemPlugin } from '../../src/http/problem.js';
import { createApiKeysRepository, DuplicateApiKeyError } from '../../src/modules/api-keys/api-keys.repository.js';
import { createApiKeysService, type ApiKeysService, type CreatedApiKey } from '../../src/modules/api-keys/api-keys.service.js';
import { seededApp, type TestApp } from '../helpers/app.js';

// Watch every constant-time comparison the service makes, without changing what it does.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});
const compare = vi.mocked(timingSafeEqual);

const sha256hex = (text: string) => createHash('sha256').update(text).digest('hex');
const secretOf = (key: string) => key.split('_').slice(2).join('_');
const prefixOf = (key: string) => key.split('_')[1];

let t: TestApp;
let apiKeys: ApiKeysService;
beforeAll(async () => {
  t = await seededApp();
  apiKeys = createApiKeysService(createApiKeysRepository(t.database.prisma));
});
afterAll(() => t.close());

describe('the API keys service', () => {
  let created: CreatedApiKey;
  beforeAll(async () => {
    created = await apiKeys.create({ name: 'svc-main', scopes: ['write', 'read', 'read'] });
  });
  beforeEach(() => {
    compare.mockClear();
  });

  it('issues cl_<prefix>_<secret> keys with at least 32 random bytes, once', async () => {
    expect(created.key).toMatch(/^cl_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43,}$/);
    expect(Buffer.from(secretOf(created.key), 'base64url').length).toBeGreaterThanOrEqual(32);
    expect(created).toMatchObject({ name: 'svc-main', scopes: ['read', 'write'] });
    expect(created.id).toMatch(/^key_/);
    expect(Number.isNaN(Date.parse(created.created_at))).toBe(false);
    const other = await apiKeys.create({ name: 'svc-other', scopes: ['read'] });
    expect(prefixOf(other.key)).not.toBe(prefixOf(created.key));
    expect(secretOf(other.key)).not.toBe(secretOf(created.key));
  });

  it('stores the SHA-256 of the key, never the key or its secret', async () => {
    const row = await t.database.prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.secretHash).toBe(sha256hex(created.key));
    expect(row.prefix).toBe(prefixOf(created.key));
    expect(row.scopes).toBe('read,write');
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(secretOf(created.key));
    expect(stored).not.toContain(created.key);
  });

  it('lists keys by name and prefix without any secret', async () => {
    const listed = await apiKeys.list();
    const mine = listed.find((key) => key.id === created.id);
    expect(mine).toEqual({
      id: created.id,
      name: 'svc-main',
      prefix: prefixOf(created.key),
      scopes: ['read', 'write'],
      created_at: created.created_at,
      revoked_at: null,
    });
    expect(JSON.stringify(listed)).not.toContain(secretOf(created.key));
    expect(JSON.stringify(listed)).not.toMatch(/[0-9a-f]{64}/);
  });

  it('authenticates the key it issued', async () => {
    expect(await apiKeys.authenticate(created.key)).toEqual({
      status: 'valid',
      key: { id: created.id, name: 'svc-main', scopes: ['read', 'write'] },
    });
    expect(compare).toHaveBeenCalledTimes(1);
  });

  it('answers invalid for a wrong secret behind the right prefix, after a constant-time comparison', async () => {
    const secret = secretOf(created.key);
    const flipped = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    expect(await apiKeys.authenticate(`cl_${prefixOf(created.key)}_${flipped}`)).toEqual({ status: 'invalid' });
    expect(await apiKeys.authenticate(`${created.key}x`)).toEqual({ status: 'invalid' });
    expect(compare).toHaveBeenCalledTimes(2);
  });

  it('answers invalid for unknown prefixes and malformed keys, comparing equal-length hashes all the same', async () => {
    const unknownPrefix = `cl_ZZZZZZZZ_${secretOf(created.key)}`;
    const malformed = ['', 'garbage', 'cl_', `cl_${prefixOf(created.key)}`, `xx_${prefixOf(created.key)}_${secretOf(created.key)}`, 'x'.repeat(10_000)];
    for (const presented of [unknownPrefix, ...malformed]) {
      expect(await apiKeys.authenticate(presented), presented.slice(0, 40)).toEqual({ status: 'invalid' });
    }
    expect(compare).toHaveBeenCalledTimes(1 + malformed.length);
    for (const [a, b] of compare.mock.calls) {
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
  });

  it('refuses a name that is taken, even differently padded', async () => {
    await expect(apiKeys.create({ name: 'svc-main', scopes: ['read'] })).rejects.toBeInstanceOf(ConflictError);
    await expect(apiKeys.create({ name: '  svc-main ', scopes: ['read'] })).rejects.toThrow(/svc-main/);
    expect(await t.database.prisma.apiKey.count({ where: { name: 'svc-main' } })).toBe(1);
  });

  it('refuses missing or unknown scopes and bad names, naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ name: 'a', scopes: [] }, 'scopes'],
      [{ name: 'a', scopes: ['read', 'admin'] }, 'scopes.1'],
      [{ name: '', scopes: ['read'] }, 'name'],
      [{ name: '   ', scopes: ['read'] }, 'name'],
      [{ name: 'n'.repeat(101), scopes: ['read'] }, 'name'],
    ];
    for (const [input, path] of cases) {
      const error = await apiKeys.create(input as never).catch((e: unknown) => e);
      expect(error, path).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).errors.map((e) => e.path)).toContain(path);
    }
    expect(await apiKeys.create({ name: 'n'.repeat(100), scopes: ['read'] })).toMatchObject({ name: 'n'.repeat(100) });
    expect(await t.database.prisma.apiKey.count({ where: { name: 'a' } })).toBe(0);
  });

  it('revokes by name or id, once, and reports revoked keys only to holders of the secret', async () => {
    const byName = await apiKeys.create({ name: 'svc-revoke-by-name', scopes: ['read'] });
    const byId = await apiKeys.create({ name: 'svc-revoke-by-id', scopes: ['write'] });
    const revoked = await apiKeys.revoke('svc-revoke-by-name');
    expect(revoked).toMatchObject({ id: byName.id, name: 'svc-revoke-by-name' });
    expect(revoked.revoked_at).not.toBeNull();
    expect((await apiKeys.revoke(byId.id)).name).toBe('svc-revoke-by-id');

    const row = await t.database.prisma.apiKey.findUniqueOrThrow({ where: { id: byName.id } });
    expect(row.version).toBe(2);
    expect(row.revokedAt?.toISOString()).toBe(revoked.revoked_at);
    expect(row.updatedAt.getTime()).toBeGreaterThanOrEqual(row.revokedAt!.getTime());
    // Revoking again changes nothing.
    expect((await apiKeys.revoke(byName.id)).revoked_at).toBe(revoked.revoked_at);
    expect((await t.database.prisma.apiKey.findUniqueOrThrow({ where: { id: byName.id } })).version).toBe(2);

    expect(await apiKeys.authenticate(byName.key)).toEqual({
      status: 'revoked',
      key: { id: byName.id, name: 'svc-revoke-by-name', scopes: ['read'] },
    });
    expect((await apiKeys.authenticate(byId.key)).status).toBe('revoked');
    expect(await apiKeys.authenticate(`${byName.key.slice(0, -2)}zz`)).toEqual({ status: 'invalid' });
    expect((await apiKeys.list()).find((k) => k.id === byName.id)?.revoked_at).toBe(revoked.revoked_at);
  });

  it('has the repository report a taken name or prefix as DuplicateApiKeyError on this database', async () => {
    const repo = createApiKeysRepository(t.database.prisma);
    const row = { id: 'key_dup_1', name: 'svc-dup', prefix: 'DUPDUPDU', secretHash: sha256hex('x'), scopes: 'read' };
    await repo.create(row);
    await expect(repo.create({ ...row, id: 'key_dup_2', prefix: 'DUPDUPD2' })).rejects.toBeInstanceOf(DuplicateApiKeyError);
    await expect(repo.create({ ...row, id: 'key_dup_3', name: 'svc-dup-3' })).rejects.toBeInstanceOf(DuplicateApiKeyError);
    expect(await t.database.prisma.apiKey.count({ where: { id: { in: ['key_dup_2', 'key_dup_3'] } } })).toBe(0);
  });

  it('answers NotFoundError for a key that does not exist', async () => {
    await expect(apiKeys.revoke('no-such-key')).rejects.toBeInstanceOf(NotFoundError);
    await expect(apiKeys.revoke('no-such-key')).rejects.toThrow(/no-such-key/);
  });
});

describe('the auth plugin', () => {
  const keys: Record<'read' | 'write' | 'readWrite' | 'revoked', string> = { read: '', write: '', readWrite: '', revoked: '' };
  const logLines: string[] = [];
  const apps: FastifyInstance[] = [];

  async function tinyApp(readRequiresKey: boolean): Promise<FastifyInstance> {
    const app = Fastify({ logger: { level: 'trace', stream: { write: (line: string) => logLines.push(line) } } });
    await app.register(problemPlugin);
    await app.register(authPlugin, { apiKeys, readRequiresKey });
    app.get('/healthz', async () => ({ status: 'ok' }));
    app.get('/openapi.json', async () => ({ openapi: '3.1.0' }));
    app.get('/v1/x', async (request) => ({ key: request.apiKey?.name ?? null }));
    app.post('/v1/x', { preHandler: requireScope('write') }, async (request) => ({ by: request.apiKey?.name ?? null }));
    await app.ready();
    apps.push(app);
    return app;
  }

  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  let open: FastifyInstance;
  let closed: FastifyInstance;

  beforeAll(async () => {
    keys.read = (await apiKeys.create({ name: 'http-read', scopes: ['read'] })).key;
    keys.write = (await apiKeys.create({ name: 'http-write', scopes: ['write'] })).key;
    keys.readWrite = (await apiKeys.create({ name: 'http-read-write', scopes: ['read', 'write'] })).key;
    keys.revoked = (await apiKeys.create({ name: 'http-revoked', scopes: ['read', 'write'] })).key;
    await apiKeys.revoke('http-revoked');
    open = await tinyApp(false);
    closed = await tinyApp(true);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  const responses: { body: string; headers: Record<string, unknown> }[] = [];
  async function send(app: FastifyInstance, method: 'GET' | 'HEAD' | 'POST', url: string, headers: Record<string, string> = {}) {
    const response = await app.inject({ method, url, headers, ...(method === 'POST' ? { payload: {} } : {}) });
    responses.push({ body: response.body, headers: response.headers });
    return { status: response.statusCode, headers: response.headers, body: response.body ? JSON.parse(response.body) : undefined };
  }

  it('asks for a key, with a WWW-Authenticate challenge, when a write comes without one', async () => {
    const response = await send(open, 'POST', '/v1/x');
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="conflict-ledger"');
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 401, instance: '/v1/x' });
    expect(response.body.type).toMatch(/^urn:conflict-ledger:problem:/);
    expect(response.body.detail).toContain('write scope');
    expect(response.body.detail).toContain('`Authorization: Bearer <key>`');
    expect(response.body.detail).toContain('npm run apikey -- create --name NAME --scopes read,write');
  });

  it('refuses a garbage, mistyped or non-Bearer credential as invalid_token', async () => {
    const wrongSecret = `${keys.readWrite.slice(0, -2)}${keys.readWrite.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const authorization of ['Bearer nonsense', `Bearer ${wrongSecret}`, `Basic ${Buffer.from('a:b').toString('base64')}`, 'Bearer', keys.readWrite, '']) {
      const response = await send(open, 'POST', '/v1/x', { authorization });
      expect(response.status, authorization).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="conflict-ledger", error="invalid_token"');
      expect(response.body.detail).toContain('not valid');
    }
  });

  it('refuses a read-only key on a write, naming the scope it lacks', async () => {
    const response = await send(open, 'POST', '/v1/x', bearer(keys.read));
    expect(response.status).toBe(403);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="conflict-ledger", error="insufficient_scope", scope="write"');
    expect(response.body.detail).toContain('Send an API key with the write scope as `Authorization: Bearer <key>`');
    expect(response.body.detail).toContain('http-read');
  });

  it('refuses a revoked key with 403 and says it was revoked', async () => {
    const response = await send(open, 'POST', '/v1/x', bearer(keys.revoked));
    expect(response.status).toBe(403);
    expect(response.body.detail).toMatch(/http-revoked.*was revoked/);
    expect(response.body.detail).toContain('npm run apikey -- create');
  });

  it('lets write keys write, whatever the case of the scheme', async () => {
    expect(await send(open, 'POST', '/v1/x', bearer(keys.write))).toMatchObject({ status: 200, body: { by: 'http-write' } });
    expect(await send(open, 'POST', '/v1/x', { authorization: `bearer ${keys.readWrite}` })).toMatchObject({
      status: 200,
      body: { by: 'http-read-write' },
    });
    expect(await send(open, 'POST', '/v1/x', { authorization: `BEARER  ${keys.readWrite}` })).toMatchObject({ status: 200 });
  });

  it('leaves reads open by default, but refuses a key that is sent and bad', async () => {
    expect(await send(open, 'GET', '/v1/x')).toMatchObject({ status: 200, body: { key: null } });
    expect(await send(open, 'GET', '/v1/x', bearer(keys.read))).toMatchObject({ status: 200, body: { key: 'http-read' } });
    expect((await send(open, 'GET', '/v1/x', bearer('cl_nonsense'))).status).toBe(401);
    expect((await send(open, 'GET', '/v1/x', bearer(keys.revoked))).status).toBe(403);
    expect((await send(open, 'GET', '/healthz', bearer('cl_nonsense'))).status).toBe(200);
  });

  it('with readRequiresKey, needs the read scope on GET and HEAD under /v1/ (write includes read)', async () => {
    const none = await send(closed, 'GET', '/v1/x');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="conflict-ledger"');
    expect(none.body.detail).toContain('read scope');
    expect(none.body.detail).toContain('npm run apikey -- create --name NAME --scopes read');
    expect((await send(closed, 'HEAD', '/v1/x')).status).toBe(401);
    expect((await send(closed, 'GET', '/v1/x?q=1', bearer('cl_nonsense'))).status).toBe(401);
    expect((await send(closed, 'GET', '/v1/x', bearer(keys.revoked))).status).toBe(403);
    expect(await send(closed, 'GET', '/v1/x', bearer(keys.read))).toMatchObject({ status: 200, body: { key: 'http-read' } });
    expect(await send(closed, 'GET', '/v1/x', bearer(keys.write))).toMatchObject({ status: 200, body: { key: 'http-write' } });
    expect((await send(closed, 'HEAD', '/v1/x', bearer(keys.read))).status).toBe(200);
    // Unknown paths under /v1/ say nothing before the key checks out.
    expect((await send(closed, 'GET', '/v1/nothing-here')).status).toBe(401);
    expect((await send(closed, 'GET', '/v1/nothing-here', bearer(keys.read))).status).toBe(404);
    // Writes still need write.
    expect((await send(closed, 'POST', '/v1/x', bearer(keys.read))).status).toBe(403);
    expect((await send(closed, 'POST', '/v1/x', bearer(keys.readWrite))).status).toBe(200);
  });

  it('with readRequiresKey, leaves the probes and the API description open', async () => {
    expect((await send(closed, 'GET', '/healthz')).status).toBe(200);
    expect((await send(closed, 'HEAD', '/healthz')).status).toBe(200);
    expect((await send(closed, 'GET', '/openapi.json')).status).toBe(200);
  });

  it('never puts a key into a response or a log line', () => {
    expect(responses.length).toBeGreaterThan(20);
    expect(logLines.length).toBeGreaterThan(20);
    const everything = [...logLines, ...responses.map((r) => r.body + JSON.stringify(r.headers))].join('\n');
    for (const key of Object.values(keys)) {
      expect(everything).not.toContain(secretOf(key));
      expect(everything).not.toContain(key);
    }
    expect(everything).not.toContain('nonsense');
  });
});
