import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEW_EVENT_EXAMPLE } from '../../src/modules/events/events.examples.js';
import { getJson, seededApp, type TestApp } from '../helpers/app.js';
import { testKeys } from '../helpers/keys.js';
import { expectProblem } from '../helpers/problems.js';

// Events carry the id they have in the data set they came from (ACLED's event_id_cnty):
// shown in JSON and CSV, filterable, and unique.

let t: TestApp;
let keys: Awaited<ReturnType<typeof testKeys>>;

beforeAll(async () => {
  t = await seededApp();
  keys = await testKeys(t);
});
afterAll(() => t.close());

describe('external ids on events', () => {
  it('are null on events that have none, in JSON and CSV', async () => {
    const { body } = await getJson(t.app, '/v1/events/evt_spinghar_border_clash');
    expect(body.external_id).toBeNull();
    const csv = await t.app.inject({ method: 'GET', url: '/v1/events?format=csv&limit=1' });
    expect(csv.body.split('\n')[0]).toContain(',parent_id,external_id,');
  });

  it('are stored on create, filterable, and unique', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: keys.write,
      payload: { ...NEW_EVENT_EXAMPLE, external_id: 'AFG99999' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().external_id).toBe('AFG99999');

    const { body } = await getJson(t.app, '/v1/events?external_id=AFG99999,PAK1');
    expect(body.data.map((e: { id: string }) => e.id)).toEqual([created.json().id]);

    const twice = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: keys.write,
      payload: { ...NEW_EVENT_EXAMPLE, external_id: 'AFG99999' },
    });
    expect(expectProblem(twice, 409).detail).toBe(`The external id "AFG99999" already belongs to the event "${created.json().id}".`);

    const patched = await t.app.inject({
      method: 'PATCH',
      url: '/v1/events/evt_spinghar_border_clash',
      headers: keys.write,
      payload: { external_id: 'AFG99999' },
    });
    expectProblem(patched, 409);
  });
});
