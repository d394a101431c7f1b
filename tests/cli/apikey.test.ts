import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../../src/db/prisma.js';
import { createApiKeysRepository } from '../../src/modules/api-keys/api-keys.repository.js';
import { createApiKeysService, type ApiKeysService } from '../../src/modules/api-keys/api-keys.service.js';
import { emptyDatabase, type ScratchDatabase } from '../helpers/databases.js';

// The real `npm run apikey` on a fresh, empty database, as an operator would run it.

const root = path.resolve(import.meta.dirname, '..', '..');
const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const KEY = /cl_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43,}/;

let scratch: ScratchDatabase;
let database: Database | undefined;
let apiKeys: ApiKeysService;

function apikey(...args: string[]) {
  const result = spawnSync(process.execPath, [tsx, 'src/cli/apikey.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: scratch.url },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  scratch = await emptyDatabase();
});
afterAll(async () => {
  await database?.close();
  await scratch.drop();
});

describe('npm run apikey', () => {
  let key: string;

  it('creates a key on a fresh database and prints it once', async () => {
    const created = apikey('create', '--name', 'ci deploy', '--scopes', 'read,write');
    expect(created.stderr).toMatch(/Applied migrations: \d+_ledger/);
    expect(created.status).toBe(0);
    expect(created.stdout).toMatch(/will not be shown again/);
    expect(created.stdout).toContain('Authorization: Bearer <key>');
    key = KEY.exec(created.stdout)![0];
    expect(created.stdout.match(new RegExp(KEY, 'g'))).toHaveLength(1);

    database = await connectDatabase(scratch.url);
    apiKeys = createApiKeysService(createApiKeysRepository(database.prisma));
    expect(await apiKeys.authenticate(key)).toMatchObject({ status: 'valid', key: { name: 'ci deploy', scopes: ['read', 'write'] } });
    const row = await database.prisma.apiKey.findFirstOrThrow({ where: { name: 'ci deploy' } });
    expect(JSON.stringify(row)).not.toContain(key.split('_').slice(2).join('_'));
  });

  it('takes --flag=value too', async () => {
    const created = apikey('create', '--name=reader', '--scopes=read');
    expect(created.status).toBe(0);
    expect(await apiKeys.authenticate(KEY.exec(created.stdout)![0])).toMatchObject({ status: 'valid', key: { scopes: ['read'] } });
  });

  it('lists keys as a table, without their secrets', () => {
    const listed = apikey('list');
    expect(listed.status).toBe(0);
    const [header, ...rows] = listed.stdout.trim().split('\n');
    expect(header.split(/\s+/)).toEqual(['NAME', 'PREFIX', 'SCOPES', 'CREATED', 'REVOKED']);
    const prefix = key.split('_')[1];
    const line = rows.find((r) => r.startsWith('ci deploy'));
    expect(line).toContain(`cl_${prefix}`);
    expect(line).toContain('read,write');
    expect(line).toMatch(/\d{4}-\d{2}-\d{2}T[\d:.]+Z\s+-$/);
    expect(listed.stdout).not.toContain(key);
    expect(listed.stdout).not.toContain(key.split('_').slice(2).join('_'));
    expect(listed.stdout).not.toMatch(/[0-9a-f]{64}/);
  });

  it('revokes a key by name, after which it authenticates as revoked', async () => {
    const revoked = apikey('revoke', 'ci deploy');
    expect(revoked.status).toBe(0);
    expect(revoked.stdout).toMatch(/Revoked API key "ci deploy"/);
    expect(await apiKeys.authenticate(key)).toMatchObject({ status: 'revoked', key: { name: 'ci deploy' } });
    const line = apikey('list').stdout.split('\n').find((r) => r.startsWith('ci deploy'));
    expect(line).toMatch(/Z\s+\d{4}-\d{2}-\d{2}T[\d:.]+Z$/);
  });

  it('exits 1 with a message and the usage on bad usage', () => {
    const cases: [string[], RegExp][] = [
      [[], /no command/],
      [['rotate'], /unknown command "rotate"/],
      [['create', '--name', 'x'], /--scopes/],
      [['create', '--scopes', 'read'], /--name/],
      [['create', '--name'], /--name needs a value/],
      [['create', '--name', 'x', '--scopes', 'read', '--colour', 'red'], /unknown option --colour/],
      [['revoke'], /NAME_OR_ID/],
      [['list', 'extra'], /no arguments/],
    ];
    for (const [args, message] of cases) {
      const run = apikey(...args);
      expect(run.status, args.join(' ')).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toContain('usage: npm run apikey -- create --name NAME --scopes');
      expect(run.stdout).toBe('');
    }
  });

  it('exits 1 when the service refuses: bad scopes, a taken name, an unknown key', () => {
    const badScopes = apikey('create', '--name', 'x', '--scopes', 'read,admin');
    expect(badScopes.status).toBe(1);
    expect(badScopes.stderr).toMatch(/scopes\.1: "admin" is not a scope/);
    const taken = apikey('create', '--name', 'reader', '--scopes', 'read');
    expect(taken.status).toBe(1);
    expect(taken.stderr).toMatch(/"reader" already exists/);
    expect(taken.stdout).not.toMatch(KEY);
    const unknown = apikey('revoke', 'nobody');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/No API key has the name or id "nobody"/);
  });

  it('prints the usage on --help', () => {
    const help = apikey('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('npm run apikey -- revoke NAME_OR_ID');
  });
});
