import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, sql } from '../../src/db/sql.js';
import { NEW_ACTOR_EXAMPLE } from '../../src/modules/actors/actors.examples.js';
import { seededApp, type TestApp } from '../helpers/app.js';
import { testKeys } from '../helpers/keys.js';

// Database.writeOnDriver, the write transaction of imports whose statements go straight to
// the driver (on SQLite on Prisma's own connection, inside its transaction; on PostgreSQL on
// a pooled connection behind the same advisory lock). It must keep what writeTransaction
// promises: all or nothing, one writer at a time, timestamps as Prisma stores them.

let t: TestApp;
beforeAll(async () => {
  t = await seededApp();
});
afterAll(() => t.close());

const placeholder = (n: number) => (t.database.provider === 'sqlite' ? '?' : `$${n}`);
const timestamp = (n: number) => (t.database.provider === 'sqlite' ? '?' : `$${n}::timestamp(3)`);

async function insertActor(id: string, name: string, at = new Date()) {
  await t.database.writeOnDriver((tx) =>
    tx.run(`INSERT INTO actors (id, name, kind, created_at, updated_at) VALUES (${placeholder(1)}, ${placeholder(2)}, 'other', ${timestamp(3)}, ${timestamp(4)})`, [id, name, at, at]),
  );
}

describe('a driver write transaction', () => {
  it('commits its statements, and the API reads the row with the timestamps it was given', async () => {
    const at = new Date('2025-10-12T21:30:15.123Z');
    await insertActor('act_driver_commit', 'Driver commit probe', at);
    const response = await t.app.inject({ method: 'GET', url: '/v1/actors/act_driver_commit' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ name: 'Driver commit probe', created_at: at.toISOString(), updated_at: at.toISOString(), version: 1 });
  });

  it('reads its own uncommitted writes through query(), and writes nothing when the work throws', async () => {
    const failure = new Error('a row in the batch was bad');
    await expect(
      t.database.writeOnDriver(async (tx) => {
        await tx.run(`INSERT INTO actors (id, name, kind, created_at, updated_at) VALUES (${placeholder(1)}, 'Rolled back', 'other', ${timestamp(2)}, ${timestamp(3)})`, [
          'act_driver_rollback',
          new Date(),
          new Date(),
        ]);
        const seen = await query<{ name: string }>(tx.db, tx.provider, sql`SELECT name FROM actors WHERE id = ${'act_driver_rollback'}`);
        expect(seen).toEqual([{ name: 'Rolled back' }]);
        throw failure;
      }),
    ).rejects.toBe(failure);
    const after = await query(t.database.prisma, t.database.provider, sql`SELECT id FROM actors WHERE id = ${'act_driver_rollback'}`);
    expect(after).toEqual([]);
    // The connection is usable again afterwards.
    await insertActor('act_driver_after_rollback', 'After the rollback');
    expect((await t.app.inject({ method: 'GET', url: '/v1/actors/act_driver_after_rollback' })).statusCode).toBe(200);
  });

  it('offers reads through query() only: a Prisma delegate on it fails instead of using another connection', async () => {
    await expect(t.database.writeOnDriver(async (tx) => tx.db.actor.findMany())).rejects.toThrow(/query\(\) only/);
  });

  it('is one writer at a time with the API: a write that comes during it waits for its commit', async () => {
    const keys = await testKeys(t);
    const order: string[] = [];
    let apiWrite: Promise<unknown> | undefined;
    await t.database.writeOnDriver(async (tx) => {
      await tx.run(`UPDATE actors SET notes = ${placeholder(1)} WHERE id = ${placeholder(2)}`, ['held by the driver transaction', 'act_driver_commit']);
      apiWrite = t.app
        .inject({ method: 'POST', url: '/v1/actors', payload: { ...NEW_ACTOR_EXAMPLE, name: 'Waits its turn' }, headers: keys.write })
        .then((response) => order.push(`api ${response.statusCode}`));
      await sleep(300);
      order.push('driver commits');
    });
    await apiWrite;
    expect(order).toEqual(['driver commits', 'api 201']);
  });
});
