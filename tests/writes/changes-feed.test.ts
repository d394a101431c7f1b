import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, seededApp, type TestApp } from '../helpers/app.js';
import { testKeys } from '../helpers/keys.js';

// A mirror that syncs from the changes feed must end with exactly the server's state,
// even when it reads while another client writes, and when it stops and resumes from a
// stored cursor.

let t: TestApp;
let keys: Awaited<ReturnType<typeof testKeys>>;
beforeAll(async () => {
  t = await seededApp();
  keys = await testKeys(t);
});
afterAll(() => t.close());

const SOURCE = 'src_toutiao_7570382530332770879';
const RESOURCES = ['events', 'actors', 'statements', 'casualty-reports', 'sources'] as const;

type Change = { seq: number; resource: string; id: string; action: string; version: number; record: { version: number } | null };

/** A mirror: the records it knows, by resource and id, and the cursor it stored. */
class Mirror {
  records = new Map<string, { version: number }>();
  seen = new Set<number>();
  cursor: string | undefined;

  async pull(app: TestApp['app'], limit: number): Promise<number> {
    const url = `/v1/changes?limit=${limit}${this.cursor ? `&since=${this.cursor}` : ''}`;
    const { status, body } = await getJson(app, url);
    if (status !== 200) throw new Error(`${url}: ${status}`);
    let previous = Math.max(0, ...this.seen);
    for (const change of body.data as Change[]) {
      if (this.seen.has(change.seq)) throw new Error(`change ${change.seq} delivered twice`);
      if (change.seq <= previous) throw new Error(`change ${change.seq} out of order`);
      previous = change.seq;
      this.seen.add(change.seq);
      const key = `${change.resource}/${change.id}`;
      if (change.record === null) this.records.delete(key);
      else this.records.set(key, change.record);
    }
    this.cursor = body.meta.next_cursor;
    return body.data.length;
  }
}

/** The server's live records, read through the ordinary list routes. */
async function serverState(app: TestApp['app']): Promise<Map<string, number>> {
  const state = new Map<string, number>();
  for (const resource of RESOURCES) {
    let next: string | null = `/v1/${resource}?limit=1000&fields=version`;
    while (next) {
      const { body }: { body: any } = await getJson(app, next);
      for (const record of body.data) state.set(`${resource}/${record.id}`, record.version);
      next = body.links.next;
    }
  }
  return state;
}

describe('GET /v1/changes', () => {
  it('starts with the seed, in commit order, and resumes from a cursor', async () => {
    const first = await getJson(t.app, '/v1/changes?limit=5');
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(5);
    expect(first.body.data[0]).toMatchObject({ resource: 'sources', id: SOURCE, action: 'created', version: 1 });
    const second = await getJson(t.app, `/v1/changes?limit=5&since=${first.body.meta.next_cursor}`);
    expect(second.body.data[0].seq).toBeGreaterThan(first.body.data[4].seq);
    expect(first.body.links.next).toBe(`/v1/changes?since=${first.body.meta.next_cursor}&limit=5`);
  });

  it('takes a time as since', async () => {
    const before = await getJson(t.app, `/v1/changes?since=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`);
    expect(before.body.data).toEqual([]);
    const all = await getJson(t.app, `/v1/changes?limit=1000&since=${encodeURIComponent('2000-01-01T00:00:00Z')}`);
    expect(all.body.data.length).toBeGreaterThan(50);
  });

  it('refuses a since that is neither a cursor nor a time', async () => {
    const { status, body } = await getJson(t.app, '/v1/changes?since=yesterday');
    expect(status).toBe(400);
    expect(body.errors[0].path).toBe('query.since');
  });

  it('brings a mirror that resumes from its stored cursor to exactly the server state while another client writes', async () => {
    const mirror = new Mirror();
    const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
      t.app.inject({ method, url, payload, headers: keys.write });

    // The writer: creates, revises and deletes actors and casualty reports.
    const writer = (async () => {
      for (let i = 0; i < 40; i += 1) {
        const actor = await send('POST', '/v1/actors', {
          name: `Synced actor ${i}`,
          kind: 'other',
          sources: [{ id: SOURCE, excerpt: 'Tensions' }],
        });
        expect(actor.statusCode).toBe(201);
        const id = actor.json().id;
        if (i % 3 === 0) expect((await send('PATCH', `/v1/actors/${id}`, { notes: `revised ${i}` })).statusCode).toBe(200);
        if (i % 4 === 0) expect((await send('DELETE', `/v1/actors/${id}`)).statusCode).toBe(204);
        if (i % 5 === 0) {
          const revised = await send('PATCH', '/v1/casualty-reports/cas_kabul_explosion_deaths', { killed: { min: 5 + i, max: null } });
          expect(revised.statusCode).toBe(200);
        }
      }
    })();

    // The reader: small pages, and now and then it "restarts" with only its stored cursor.
    let rounds = 0;
    let done = false;
    void writer.then(() => (done = true));
    while (!done) {
      await mirror.pull(t.app, 7);
      rounds += 1;
      // A poller waits between polls; this also lets the writer's I/O run.
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (rounds % 5 === 0) {
        const restarted = new Mirror();
        restarted.records = mirror.records;
        restarted.seen = mirror.seen;
        restarted.cursor = mirror.cursor; // all it kept on disk
        Object.assign(mirror, restarted);
      }
    }
    await writer;
    while ((await mirror.pull(t.app, 7)) > 0) rounds += 1;

    const expected = await serverState(t.app);
    const mirrored = new Map([...mirror.records].map(([key, record]) => [key, record.version]));
    expect(mirrored).toEqual(expected);
    expect(rounds).toBeGreaterThan(5);
    const total = await t.database.prisma.revision.count();
    expect(mirror.seen.size).toBe(total);
  });
});
