import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyDatabase, provider, type ScratchDatabase } from './helpers/databases.js';

// The real process, as `npm start` runs it: on an empty database it migrates, seeds and
// serves; SQLite and PostgreSQL answer the same.

const root = path.resolve(import.meta.dirname, '..');
const running: { child: ChildProcess; db: ScratchDatabase }[] = [];

afterAll(async () => {
  for (const { child, db } of running) {
    child.kill('SIGKILL');
    await db.drop();
  }
});

async function startServer(db: ScratchDatabase): Promise<{ base: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push({ child, db });
  let output = '';
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = output.match(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return { base, child };
}

const PATHS = [
  '/v1/events?include=participants,casualty_reports,statements,children&limit=1000',
  '/v1/actors?include=events,children&limit=1000',
  '/v1/statements?limit=1000',
  '/v1/casualty-reports?limit=1000',
  '/v1/sources/src_toutiao_7570382530332770879?include=text,events',
  '/v1/events/evt_afghanistan_pakistan_border_conflict/casualties',
];

const withoutTimestamps = (body: unknown) =>
  JSON.parse(JSON.stringify(body, (key, value) => (key === 'created_at' || key === 'updated_at' ? undefined : value)));

async function answers(base: string) {
  return Promise.all(PATHS.map(async (p) => withoutTimestamps(await (await fetch(base + p)).json())));
}

describe('npm start on an empty database', () => {
  it(`migrates, seeds and serves on ${provider}, answering as SQLite does`, async () => {
    const [mine, sqlite] = await Promise.all([emptyDatabase(), emptyDatabase('sqlite')]);
    const [a, b] = await Promise.all([startServer(mine), startServer(sqlite)]);
    expect((await fetch(`${a.base}/readyz`)).status).toBe(200);
    expect((await fetch(`${a.base}/docs/`)).status).toBe(200);
    const [fromMine, fromSqlite] = await Promise.all([answers(a.base), answers(b.base)]);
    expect(fromMine[0].meta.total).toBe(7);
    expect(fromMine).toEqual(fromSqlite);

    const exited = new Promise<number | null>((resolve) => a.child.on('exit', resolve));
    a.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
