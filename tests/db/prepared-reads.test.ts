import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provider } from '../helpers/databases.js';
import { seededApp, type TestApp } from '../helpers/app.js';

// On PostgreSQL the driver reader prepares its statements by name, so each connection parses
// and plans a text once (src/db/prisma.ts, postgresReader). Texts vary with IN-list lengths:
// only the first 500 distinct texts are named, and any text past them still answers.

let t: TestApp;
beforeAll(async () => {
  t = await seededApp();
});
afterAll(() => t.close());

type Prepared = { name: string; statement: string };
const preparedHere = () => t.database.read(`SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'ledger_read_%'`, []) as Promise<Prepared[]>;

describe.runIf(provider === 'postgresql')('prepared driver reads', () => {
  it('prepare a text once and answer it alike every time', async () => {
    const text = 'SELECT id, title FROM events WHERE id = $1 AND deleted_at IS NULL';
    const first = await t.database.read(text, ['evt_istanbul_talks']);
    const again = await t.database.read(text, ['evt_istanbul_talks']);
    expect(first).toHaveLength(1);
    expect(again).toEqual(first);
    // Sequential reads reuse the pool's most recently released connection: this one.
    expect((await preparedHere()).map((p) => p.statement)).toContain(text);
  });

  it('answer texts past the named ones, and keep at most 500 named on a connection', async () => {
    for (let i = 0; i < 520; i += 1) {
      const [row] = await t.database.read(`SELECT $1::int + ${i} AS n`, [1]);
      expect(Number(row.n)).toBe(1 + i);
    }
    const prepared = await preparedHere();
    expect(prepared.length).toBeGreaterThan(400);
    expect(prepared.length).toBeLessThanOrEqual(500);
  });
});
