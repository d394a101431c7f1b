import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { connectDatabase, type Database } from '../../src/db/prisma.js';
import { sqliteFilePath } from '../../src/db/database-url.js';
import { NEW_ACTOR_EXAMPLE } from '../../src/modules/actors/actors.examples.js';
import { seededApp, type TestApp } from '../helpers/app.js';
import { provider } from '../helpers/databases.js';
import { testKeys } from '../helpers/keys.js';
import { expectProblem } from '../helpers/problems.js';

// The database going away, and a writer dying mid-transaction. PostgreSQL is reached
// through a TCP proxy in this test that can refuse connections, swallow packets, and be
// restored: the API answers 503 problem+json within a bounded time and recovers by itself.
// SQLite has no server to lose; its fault is another writer holding the lock past the
// busy timeout, which answers 503 the same way while reads go on.

const root = path.resolve(import.meta.dirname, '..', '..');

let t: TestApp;
let keys: Awaited<ReturnType<typeof testKeys>>;
beforeAll(async () => {
  t = await seededApp();
  keys = await testKeys(t);
});
afterAll(() => t.close());

/** A TCP proxy to PostgreSQL: forward, refuse (port closed) or swallow (accept, never answer). */
class FlakyProxy {
  mode: 'forward' | 'swallow' = 'forward';
  private sockets = new Set<net.Socket>();
  private server?: net.Server;
  port = 0;

  async open(): Promise<void> {
    this.server = net.createServer((client) => {
      this.track(client);
      if (this.mode === 'swallow') return;
      const upstream = this.track(net.connect(5432, '127.0.0.1'));
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** Drops every connection and stops listening: the database is gone. */
  async cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
    this.server = undefined;
  }

  private track(socket: net.Socket): net.Socket {
    this.sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.sockets.delete(socket);
      for (const other of this.sockets) if (other !== socket && !other.readable) other.destroy();
    });
    return socket;
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work();
  return { value, ms: Date.now() - started };
}

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) if (await check()) return true;
  return false;
}

describe.runIf(provider === 'postgresql')('PostgreSQL unreachable', () => {
  let proxy: FlakyProxy;
  let database: Database;
  let app: App;
  beforeAll(async () => {
    proxy = new FlakyProxy();
    await proxy.open();
    const url = new URL(t.url);
    url.host = `127.0.0.1:${proxy.port}`;
    database = await connectDatabase(url.toString(), { connectTimeoutMs: 1_000, statementTimeoutMs: 2_000 });
    app = await buildApp({ database });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    await proxy?.cut();
  });

  const readyz = () => app.inject({ method: 'GET', url: '/readyz' });
  const list = () => app.inject({ method: 'GET', url: '/v1/events?limit=2' });
  const write = () => app.inject({ method: 'POST', url: '/v1/actors', headers: keys.write, payload: { ...NEW_ACTOR_EXAMPLE, name: `Written ${Date.now()}` } });

  it('answers 503 problem+json within a bounded time while the database is gone, then recovers by itself', async () => {
    expect((await readyz()).statusCode).toBe(200);
    expect((await list()).statusCode).toBe(200);

    // Refused: connections dropped and the port closed.
    await proxy.cut();
    for (const request of [readyz, list, write]) {
      const { value: response, ms } = await timed(request);
      expectProblem(response, 503);
      expect(ms).toBeLessThan(3_000);
    }
    const refused = await list();
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json().detail).not.toMatch(/prisma|ECONN|127\.0\.0\.1|postgres/i);

    // Swallowed: connections accepted, nothing ever answered (a network partition).
    proxy.mode = 'swallow';
    await proxy.open();
    for (const request of [readyz, list, write]) {
      const { value: response, ms } = await timed(request);
      expectProblem(response, 503);
      expect(ms).toBeLessThan(4_000);
    }

    // The database is back: service resumes with no restart.
    await proxy.cut();
    proxy.mode = 'forward';
    await proxy.open();
    expect(await until(async () => (await readyz()).statusCode === 200, 8_000)).toBe(true);
    expect((await list()).statusCode).toBe(200);
    expect((await write()).statusCode).toBe(201);
  });
});

describe.runIf(provider === 'sqlite')('SQLite locked by another writer', () => {
  it('answers writes 503 problem+json after the busy timeout, keeps serving reads, and writes again once the lock is gone', async () => {
    const database = await connectDatabase(t.url, { busyTimeoutMs: 300 });
    const app = await buildApp({ database });
    const other = new BetterSqlite3(sqliteFilePath(t.url));
    try {
      other.exec('BEGIN EXCLUSIVE');
      const write = () => app.inject({ method: 'POST', url: '/v1/actors', headers: keys.write, payload: { ...NEW_ACTOR_EXAMPLE, name: `Written ${Date.now()}` } });
      const { value: refused, ms } = await timed(write);
      expectProblem(refused, 503);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(ms).toBeLessThan(3_000);
      // Readers are not blocked by a writer (WAL).
      expect((await app.inject({ method: 'GET', url: '/v1/events?limit=2' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      other.exec('ROLLBACK');
      expect((await write()).statusCode).toBe(201);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      await app.close();
      await database.close();
    }
  });
});

describe('a writer killed mid-transaction', () => {
  it('leaves no partial record, and the database takes the next write', async () => {
    const prefix = `act_crash_${Date.now()}_`;
    // tsx as a loader in this one process (its CLI would run the script in a grandchild the kill would miss).
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/crash-writer.ts', t.url, prefix], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr!.on('data', (chunk) => (output += chunk));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the writer never started writing:\n${output}`)), 30_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('writing')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', () => reject(new Error(`the writer exited early:\n${output}`)));
    });
    // More than 200 actors written inside the open transaction: kill it with no chance to clean up.
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const written = await t.database.prisma.actor.count({ where: { id: { startsWith: prefix } } });
    expect(written).toBe(0);
    if (provider === 'sqlite') {
      const [check] = await t.database.prisma.$queryRawUnsafe<{ integrity_check: string }[]>('PRAGMA integrity_check');
      expect(check.integrity_check).toBe('ok');
    }
    const next = await t.app.inject({ method: 'POST', url: '/v1/actors', headers: keys.write, payload: { ...NEW_ACTOR_EXAMPLE, name: 'After the crash' } });
    expect(next.statusCode, next.body).toBe(201);
  });
});
