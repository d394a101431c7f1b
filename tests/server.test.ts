import { afterAll, describe, expect, it } from 'vitest';
import { emptyDatabase, provider, type ScratchDatabase } from './helpers/databases.js';
import { startServer, type RunningServer } from './helpers/server.js';

// The real process, as `npm start` runs it: on an empty database it migrates, seeds and
// serves; SQLite and PostgreSQL answer the same.

const running: { server: RunningServer; db: ScratchDatabase }[] = [];

afterAll(async () => {
  for (const { server, db } of running) {
    server.child.kill('SIGKILL');
    await db.drop();
  }
});

async function start(db: ScratchDatabase) {
  const server = await startServer(db.url);
  running.push({ server, db });
  return server;
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
    const [a, b] = await Promise.all([start(mine), start(sqlite)]);
    expect((await fetch(`${a.base}/readyz`)).status).toBe(200);
    expect((await fetch(`${a.base}/docs/`)).status).toBe(200);
    const [fromMine, fromSqlite] = await Promise.all([answers(a.base), answers(b.base)]);
    expect(fromMine[0].meta.total).toBe(7);
    expect(fromMine).toEqual(fromSqlite);

    expect(await a.stop()).toBe(0);
  });
});
