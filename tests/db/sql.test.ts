import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, sql } from '../../src/db/sql.js';
import type { EventFilter } from '../../src/modules/events/events.repository.js';
import { eventConditions } from '../../src/modules/events/events.sql.js';
import { seededApp, type TestApp } from '../helpers/app.js';

// The SQL form of the event filters must select exactly what the repository's Prisma
// `where` selects, filter by filter, on both databases.

let t: TestApp;
beforeAll(async () => {
  t = await seededApp();
});
afterAll(() => t.close());

const FILTERS: [string, EventFilter][] = [
  ['none', {}],
  ['q', { q: 'talks' }],
  ['q with LIKE wildcards', { q: '50%_' }],
  ['event types', { eventTypes: ['Battles', 'Explosions/Remote violence'] }],
  ['sub-event types', { subEventTypes: ['Agreement'] }],
  ['countries', { countries: ['AFG'] }],
  ['window', { from: '2025-10-15', to: '2025-10-31' }],
  ['actors', { actors: ['act_pakistan_armed_forces'] }],
  ['actor roles', { actorRoles: ['mediator'] }],
  ['parents', { parents: ['evt_afghanistan_pakistan_border_conflict'] }],
  ['statuses', { statuses: ['concluded', 'ongoing'] }],
  ['bbox', { bbox: { minLon: 60, minLat: 29, maxLon: 75, maxLat: 38 } }],
  ['updated since', { updatedSince: new Date('2000-01-01T00:00:00Z') }],
  ['updated since the future', { updatedSince: new Date('2999-01-01T00:00:00Z') }],
  ['ids', { ids: ['evt_istanbul_talks', 'evt_kabul_explosion', 'evt_missing'] }],
  ['source', { sourceId: 'src_toutiao_7570382530332770879' }],
  ['combined', { countries: ['AFG', 'PAK'], from: '2025-01-01', actors: ['act_pakistan_armed_forces'] }],
];

describe('eventConditions', () => {
  it.each(FILTERS)('selects what the repository lists: %s', async (_, filter) => {
    const page = await t.services.events.list(filter, { limit: 1000, sort: [{ field: 'id', descending: false }] });
    const expected = page.rows.map((event) => event.id);
    const rows = await query<{ id: string }>(
      t.database.prisma,
      t.database.provider,
      sql`SELECT e.id FROM events e WHERE ${eventConditions(filter, t.database.provider)} ORDER BY e.id`,
    );
    expect(rows.map((row) => row.id)).toEqual(expected);
  });

  it('keeps values out of the SQL text', async () => {
    const hostile = "x' OR '1'='1";
    const rows = await query<{ id: string }>(
      t.database.prisma,
      t.database.provider,
      sql`SELECT e.id FROM events e WHERE ${eventConditions({ countries: [hostile], q: hostile }, t.database.provider)}`,
    );
    expect(rows).toEqual([]);
  });
});
