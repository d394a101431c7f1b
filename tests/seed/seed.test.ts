import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../../src/db/prisma.js';
import { loadSeed } from '../../seed/load-seed.js';
import { readSeedFile, SeedFileError } from '../../seed/seed-file.js';
import { seededApp, type TestApp } from '../helpers/app.js';
import { emptyDatabase, type ScratchDatabase } from '../helpers/databases.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const SOURCE_ID = 'src_toutiao_7570382530332770879';

/** Every row of every table: id, version and update time. */
async function snapshot(database: Database) {
  const p = database.prisma;
  const pick = { select: { id: true, version: true, updatedAt: true }, orderBy: { id: 'asc' as const } };
  return {
    sources: await p.source.findMany(pick),
    actors: await p.actor.findMany(pick),
    aliases: await p.actorAlias.findMany(pick),
    events: await p.event.findMany(pick),
    participants: await p.eventParticipant.findMany(pick),
    statements: await p.statement.findMany(pick),
    targets: await p.statementTarget.findMany(pick),
    statementEvents: await p.statementEvent.findMany(pick),
    casualtyReports: await p.casualtyReport.findMany(pick),
    provenance: await p.provenance.findMany(pick),
  };
}

const idsOnly = (s: Awaited<ReturnType<typeof snapshot>>) =>
  Object.fromEntries(Object.entries(s).map(([table, rows]) => [table, rows.map((r) => r.id)]));

let t: TestApp;
beforeAll(async () => {
  t = await seededApp();
});
afterAll(() => t.close());

describe('the seeded article', () => {
  it('stores the article verbatim on its source record', async () => {
    const source = await t.database.prisma.source.findUniqueOrThrow({ where: { id: SOURCE_ID } });
    const committed = readFileSync(path.join(root, 'seed', 'data', 'source-article.txt'), 'utf8');
    expect(source.text).toBe(committed);
    const shared = path.join(root, '..', 'shared', 'article', 'source-article.txt');
    if (existsSync(shared)) expect(committed).toBe(readFileSync(shared, 'utf8'));
  });

  it('links every stored excerpt to a verbatim passage at its offsets', async () => {
    const rows = await t.database.prisma.provenance.findMany({ include: { source: true } });
    expect(rows.length).toBeGreaterThan(60);
    for (const row of rows) {
      expect(row.source.text, row.id).toBeTruthy();
      expect(row.source.text!.includes(row.excerpt), `${row.id}: ${row.excerpt}`).toBe(true);
      expect(row.source.text!.slice(row.startOffset!, row.endOffset!)).toBe(row.excerpt);
    }
  });

  it('gives every actor, event, statement and casualty report at least one excerpt', async () => {
    const p = t.database.prisma;
    const unsupported = [
      ...(await p.actor.findMany({ where: { provenance: { none: {} } }, select: { id: true } })),
      ...(await p.event.findMany({ where: { provenance: { none: {} } }, select: { id: true } })),
      ...(await p.statement.findMany({ where: { provenance: { none: {} } }, select: { id: true } })),
      ...(await p.casualtyReport.findMany({ where: { provenance: { none: {} } }, select: { id: true } })),
    ];
    expect(unsupported).toEqual([]);
  });

  it('changes nothing when loaded again', async () => {
    const before = await snapshot(t.database);
    const result = await loadSeed(t.services);
    expect(result.created).toBe(0);
    expect(result.unchanged).toBeGreaterThan(50);
    expect(await snapshot(t.database)).toEqual(before);
  });
});

describe('npm run db:seed on fresh databases', () => {
  const scratch: ScratchDatabase[] = [];
  afterAll(async () => {
    for (const db of scratch) await db.drop();
  });

  async function freshInstall() {
    const db = await emptyDatabase();
    scratch.push(db);
    const output = execFileSync(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/cli/db.ts', 'seed'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: db.url },
    });
    const database = await connectDatabase(db.url);
    try {
      return { output, rows: await snapshot(database) };
    } finally {
      await database.close();
    }
  }

  it('migrates, seeds, and gives every record the same id on two installs', async () => {
    const first = await freshInstall();
    const second = await freshInstall();
    expect(first.output).toMatch(/Applied migrations: \d+_ledger/);
    expect(first.output).toMatch(/Seed: \d+ records created, 0 already present/);
    expect(idsOnly(first.rows)).toEqual(idsOnly(second.rows));
    expect(first.rows.events.map((e) => e.id)).toContain('evt_spinghar_border_clash');
    expect(first.rows.participants.length).toBeGreaterThan(10);
  });
});

describe('the seed file', () => {
  it('is refused, with the path of each problem, when it breaks the schema', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ledger-seed-'));
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(
      file,
      [
        'sources: []',
        'actors:',
        '  - id: act_x',
        '    name: X',
        '    kind: wizard',
        '    sources: []',
        'events: []',
        'statements: []',
        'casualty_reports: []',
        'extra: 1',
      ].join('\n'),
    );
    expect(() => readSeedFile(file)).toThrow(SeedFileError);
    expect(() => readSeedFile(file)).toThrow(/actors\.0\.kind/);
    expect(() => readSeedFile(file)).toThrow(/actors\.0\.sources/);
  });

  it('is refused by the services when a quote is not in its excerpts', async () => {
    await expect(
      t.services.statements.create({
        id: 'stm_misquoted',
        kind: 'claim',
        summary: 'A misquotation.',
        quote: 'we never said this',
        said_on: '2025-11-07',
        said_on_precision: 'day',
        attribution: 'ambiguous',
        sources: [{ id: SOURCE_ID, excerpt: 'Tensions' }],
      }, { actor: 'test' }),
    ).rejects.toMatchObject({ errors: [{ path: 'body.quote' }] });
    expect(await t.database.prisma.statement.count({ where: { id: 'stm_misquoted' } })).toBe(0);
  });

  it('is refused by the services when an excerpt is not in the source', async () => {
    await expect(
      t.services.actors.create({
        id: 'act_invented',
        name: 'Invented',
        kind: 'person',
        sources: [{ id: SOURCE_ID, excerpt: 'words the article never wrote' }],
      }, { actor: 'test' }),
    ).rejects.toMatchObject({ errors: [{ path: 'body.sources.0.excerpt' }] });
    expect(await t.database.prisma.actor.count({ where: { id: 'act_invented' } })).toBe(0);
  });
});
