import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/prisma.js';
import { query, raw, sql } from '../../src/db/sql.js';
import { spelledOutMatch } from '../../src/db/text-search.js';
import { createEventListPlanner, eventConditions, type EventListPlan } from '../../src/modules/events/events.sql.js';
import type { EventFilter } from '../../src/modules/events/events.repository.js';
import { getJson, seededApp, walkPages, type TestApp } from '../helpers/app.js';
import { provider } from '../helpers/databases.js';

// A page of events is written differently depending on the data (events.sql.ts,
// EventListPlan): a busy actor's events are found by walking the date index, a prefix of
// `q` is spelled out as the words it starts. The rows and their order never change.

let t: TestApp;
let db: Db;
beforeAll(async () => {
  t = await seededApp();
  db = t.database.prisma as unknown as Db;
});
afterAll(() => t.close());

const BY_DATE = [{ field: 'startDate', descending: true }, { field: 'id', descending: false }];

async function pageIds(filter: EventFilter, plan: EventListPlan): Promise<string[]> {
  const rows = await query<{ id: string }>(
    db,
    provider,
    sql`SELECT e.id FROM events e WHERE ${eventConditions(filter, provider, plan)} ORDER BY e.start_date DESC, e.id ASC`,
  );
  return rows.map((row) => row.id);
}

async function actorsByParticipations(): Promise<{ actor_id: string; n: number }[]> {
  const rows = await query<{ actor_id: string; n: number | bigint }>(
    db,
    provider,
    raw('SELECT actor_id, count(*) AS n FROM event_participants WHERE deleted_at IS NULL GROUP BY actor_id ORDER BY count(*) DESC, actor_id'),
  );
  return rows.map((row) => ({ actor_id: row.actor_id, n: Number(row.n) }));
}

describe('actor filter plans', () => {
  it('select the same events in the same order, walked or listed', async () => {
    for (const { actor_id } of await actorsByParticipations()) {
      const listed = await pageIds({ actors: [actor_id] }, {});
      if (provider === 'sqlite') expect(await pageIds({ actors: [actor_id] }, { actorByScan: true })).toEqual(listed);
      expect(listed.length).toBeGreaterThan(0);
    }
  });

  it.runIf(provider === 'sqlite')('walk the date index for an actor in many events, and list a rare actor\'s', async () => {
    const plan = createEventListPlanner(db, provider);
    const [busiest] = await actorsByParticipations();
    // Seven seeded events: at one event a page the walk pays from √(2 × 7) ≈ 4 participations.
    expect(busiest.n).toBeGreaterThanOrEqual(4);
    expect(await plan({ actors: [busiest.actor_id] }, { limit: 1, sort: BY_DATE })).toEqual({ actorByScan: true });
    expect(await plan({ actors: [busiest.actor_id] }, { limit: 100, sort: BY_DATE })).toEqual({ actorByScan: false });
    expect(await plan({ actors: [busiest.actor_id] }, { limit: 1, sort: [{ field: 'title', descending: false }, BY_DATE[1]] })).toEqual({});
  });

  it('page through a busy actor\'s events exactly as one page lists them', async () => {
    const [busiest] = await actorsByParticipations();
    const all = (await getJson(t.app, `/v1/events?actor=${busiest.actor_id}&limit=1000`)).body;
    const walked = await walkPages(t.app, `/v1/events?actor=${busiest.actor_id}&limit=1`);
    expect(walked.records.map((e: { id: string }) => e.id)).toEqual(all.data.map((e: { id: string }) => e.id));
    expect(walked.total).toBe(all.meta.total);
  });
});

describe('spelled-out prefixes', () => {
  it('become the index words they start, and stay prefixes when there is no list', async () => {
    const words = async (term: string) => ({ clash: ['clash', 'clashed'], kab: undefined })[term as 'clash' | 'kab'];
    expect(await spelledOutMatch('Kab clash', words)).toBe('"kab"* AND ("clash" OR "clashed")');
    // One word: nothing to intersect, the prefix is as fast.
    expect(await spelledOutMatch('clash', words)).toBe('"clash"*');
  });

  it.runIf(provider === 'sqlite')('match the rows the prefixes match', async () => {
    const plan = createEventListPlanner(db, provider);
    for (const q of ['istanbul talk', 'border cl', 'pak afg', 'ta ka', 'kābul explosion', 'x y']) {
      const spelled = await plan({ q }, { limit: 50, sort: BY_DATE });
      expect(await pageIds({ q }, spelled)).toEqual(await pageIds({ q }, {}));
    }
    expect((await plan({ q: 'istanbul talk' }, { limit: 50, sort: BY_DATE })).textMatch).toMatch(/^\("istanbul"\) AND \("talks"( OR "\w+")*\)$/);
  });
});
