import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { connectDatabase, type Database } from '../../src/db/prisma.js';
import { createServices, type Services } from '../../src/services.js';
import type { ImportOptions } from '../../src/modules/imports/imports.service.js';
import { cloneDatabase, type ScratchDatabase } from '../helpers/databases.js';
import { ledgerState } from '../helpers/ledger-state.js';

// The committed ACLED-format sample (scripts/make-acled-sample.ts) imported into a copy of
// the seeded database, through the import service as the CLI and the HTTP route use it.

const SAMPLE = path.resolve(import.meta.dirname, '..', 'fixtures', 'acled-sample.csv');
const HEADER = readFileSync(SAMPLE, 'utf8').split('\n')[0];

// The bad rows the generator wrote, at the lines it reported.
const EXPECTED_REJECTIONS = [
  { line: 31, column: 'event_date', reason: '"2025-02-30" is not a date (expected YYYY-MM-DD or "6 November 2025")' },
  { line: 84, column: 'fatalities', reason: '"three" is not a whole number of people' },
  { line: 139, column: 'event_type', reason: '"Skirmishes" is not an ACLED event type' },
  { line: 192, column: 'actor1', reason: 'is empty; a value is required' },
  { line: 245, column: 'iso', reason: '"999" is not an ISO 3166-1 numeric country code' },
  { line: 300, column: 'latitude', reason: '"34.5N" is not a number between -90 and 90' },
  { line: 353, column: 'event_id_cnty', reason: 'describes the same event as line 7' },
  { line: 405, column: null, reason: 'has 32 fields; the header has 31' },
];

interface Ledger {
  scratch: ScratchDatabase;
  database: Database;
  services: Services;
}

const opened: Ledger[] = [];

async function freshLedger(): Promise<Ledger> {
  const scratch = await cloneDatabase(inject('templateDatabaseUrl'));
  const database = await connectDatabase(scratch.url);
  const ledger = { scratch, database, services: createServices(database) };
  opened.push(ledger);
  return ledger;
}

function importSample(ledger: Ledger, options: Partial<ImportOptions> = {}) {
  return ledger.services.imports.run(createReadStream(SAMPLE), { format: 'acled', batchSize: 100, changedBy: 'test-import', ...options });
}

afterAll(async () => {
  for (const { database, scratch } of opened) {
    await database.close();
    await scratch.drop();
  }
});

describe('importing the ACLED sample', () => {
  let ledger: Ledger;
  let before: Awaited<ReturnType<typeof ledgerState>>;
  let first: Awaited<ReturnType<typeof importSample>>;

  beforeAll(async () => {
    ledger = await freshLedger();
    before = await ledgerState(ledger.database);
    first = await importSample(ledger);
  });

  it('imports every good row and reports each bad one with its line, column and reason', () => {
    expect(first).toMatchObject({ format: 'acled', rows: 308, imported: 300, updated: 0, unchanged: 0, rejected: 8, batches: 3 });
    expect(first.rejections).toEqual(EXPECTED_REJECTIONS);
  });

  it('writes each row as an event, its own source, participants and ACLED’s casualty report', async () => {
    const { prisma } = ledger.database;
    const after = await ledgerState(ledger.database);
    expect(after.counts.event - before.counts.event).toBe(300);
    expect(after.counts.source - before.counts.source).toBe(300);
    expect(after.counts.casualtyReport - before.counts.casualtyReport).toBe(300);

    // Row AFG10001 (line 3): a clash with notes over three lines, quotes and commas.
    const event = await ledger.services.events.get('evt_acled_AFG10001', ['participants', 'casualty_reports']);
    expect(event).toMatchObject({
      external_id: 'AFG10001',
      title: 'Government regains territory in Spin Boldak',
      event_type: 'Battles',
      sub_event_type: 'Government regains territory',
      start_date: '2025-11-09',
      end_date: '2025-11-09',
      date_precision: 'day',
      country: 'AFG',
      admin1: 'Kandahar',
      admin2: 'Spin Boldak',
      location: 'Spin Boldak',
      latitude: 31.0047,
      longitude: 66.3997,
      geo_precision: 'locality',
    });
    expect(event.description).toContain('\nA second report, filed later, gave more detail:\n"9 people were killed," it said.');
    expect(event.participants!.map((p) => [p.role, p.actor.name])).toEqual([
      ['side_a', 'Military Forces of Afghanistan (2021-)'],
      ['side_b', 'ISKP: Islamic State (Khorasan Province)'],
    ]);
    expect(event.casualty_reports).toEqual([
      expect.objectContaining({
        reported_by: expect.objectContaining({ name: 'ACLED' }),
        category: 'unspecified',
        killed: { min: 9, max: 9 },
        injured: null,
        period_start: '2025-11-09',
        period_end: '2025-11-09',
      }),
    ]);
    const source = await ledger.services.sources.get('src_acled_AFG10001', ['text']);
    expect(source).toMatchObject({ publisher: 'ACLED', kind: 'dataset', title: 'ACLED event AFG10001' });
    expect(source.text).toBe(`Express Tribune\n\n${event.description}`);
    expect(event.sources).toEqual([expect.objectContaining({ id: 'src_acled_AFG10001', excerpt: event.description })]);

    // Every stored excerpt is verbatim text of its source, imported ones included.
    const provenance = await prisma.provenance.findMany({ where: { deletedAt: null }, include: { source: { select: { text: true } } } });
    for (const row of provenance) {
      expect(row.source.text?.slice(row.startOffset!, row.endOffset!)).toBe(row.excerpt);
    }
  });

  it('covers every ACLED event and sub-event type', async () => {
    const rows = await ledger.database.prisma.event.findMany({
      where: { externalId: { not: null } },
      distinct: ['eventType', 'subEventType'],
      select: { eventType: true, subEventType: true },
    });
    expect(new Set(rows.map((r) => r.eventType)).size).toBe(6);
    expect(rows).toHaveLength(25);
  });

  it("maps ACLED's precision codes, both date formats and numeric iso", async () => {
    const { prisma } = ledger.database;
    const get = (externalId: string) => prisma.event.findUniqueOrThrow({ where: { externalId } });
    // time_precision 2: the week around the date; 3: the month; geo_precision 2 and 3.
    expect(await get('PAK10005')).toMatchObject({ datePrecision: 'week', startDate: '2025-11-24', endDate: '2025-11-30', geoPrecision: 'locality' });
    expect(await get('AFG10007')).toMatchObject({ datePrecision: 'month', startDate: '2025-11-01', endDate: '2025-11-30' });
    expect((await get('AFG10007')).dateNote).toBe('ACLED time_precision 3: only the month is known; ACLED dates it 2025-11-09.');
    expect((await get('PAK10004')).geoPrecision).toBe('admin2');
    expect((await get('AFG10008')).geoPrecision).toBe('admin1');
    // "28 October 2025" in the file (the export tool's format).
    expect(await get('PAK10003')).toMatchObject({ startDate: '2025-10-28', endDate: '2025-10-28', country: 'PAK' });
    expect((await get('IRN10000')).country).toBe('IRN');
    // Empty optional columns: no coordinates, no admin2, no notes.
    expect(await get('IRN10006')).toMatchObject({ latitude: null, longitude: null });
    expect((await get('PAK10009')).admin2).toBeNull();
    expect(await get('IRN10000')).toMatchObject({ description: null });
  });

  it('finds actors by name, creating each once, and puts associated actors on their side', async () => {
    const { prisma } = ledger.database;
    // The seed's Tehrik-i-Taliban Pakistan is not ACLED's "TTP: Tehreek-i-Taliban Pakistan": two actors.
    const acled = await prisma.actor.findMany({ where: { name: 'ACLED' } });
    expect(acled).toHaveLength(1);
    const names = await prisma.actor.groupBy({ by: ['name'], _count: { name: true }, having: { name: { _count: { gt: 1 } } } });
    expect(names).toEqual([]);
    const protest = await ledger.services.events.get('evt_acled_AFG10012', ['participants']);
    const byName = protest.participants!.map((p) => [p.role, p.actor.name, p.notes]).sort((a, b) => String(a[1]).localeCompare(String(b[1])));
    expect(byName).toEqual([
      ['side_a', 'Protesters (Afghanistan)', null],
      ['side_a', 'Students (Afghanistan)', 'Associated with Protesters (Afghanistan) (ACLED assoc_actor_1).'],
      ['side_a', 'Teachers (Afghanistan)', 'Associated with Protesters (Afghanistan) (ACLED assoc_actor_1).'],
    ]);
  });

  it('records every created record in the changes feed, by the importer', async () => {
    const revisions = await ledger.database.prisma.revision.findMany({ where: { changedBy: 'test-import' } });
    const byResource = Object.fromEntries(['events', 'sources', 'casualty-reports', 'actors'].map((r) => [r, revisions.filter((x) => x.resource === r).length]));
    const actorsCreated = (await ledgerState(ledger.database)).counts.actor - before.counts.actor;
    expect(byResource).toEqual({ events: 300, sources: 300, 'casualty-reports': 300, actors: actorsCreated });
    const history = await ledger.services.revisions.history('events', 'evt_acled_AFG10001');
    expect(history).toEqual([expect.objectContaining({ version: 1, action: 'created', changed_by: 'test-import' })]);
  });

  it('changes nothing when the same file is imported again', async () => {
    const state = await ledgerState(ledger.database);
    const again = await importSample(ledger);
    expect(again).toMatchObject({ rows: 308, imported: 0, updated: 0, unchanged: 300, rejected: 8 });
    expect(again.rejections).toEqual(EXPECTED_REJECTIONS);
    expect(await ledgerState(ledger.database)).toEqual(state);
  });

  it('updates an event whose row changed, by its event_id_cnty, with a revision', async () => {
    const lines = readFileSync(SAMPLE, 'utf8').split('\n');
    const row = lines.find((l) => l.startsWith('PAK10004,'))!;
    expect(row).toMatch(/,\d+,,\d+$/);
    const changed = row.replace(/,(\d+),,(\d+)$/, ',42,,$2');
    const result = await ledger.services.imports.run(Readable.from([`${HEADER}\n${changed}\n`]), { format: 'acled', changedBy: 'test-import' });
    expect(result).toMatchObject({ rows: 1, imported: 0, updated: 1, unchanged: 0, rejected: 0 });
    const report = await ledger.database.prisma.casualtyReport.findUniqueOrThrow({ where: { id: 'cas_acled_PAK10004' } });
    expect(report).toMatchObject({ killedMin: 42, killedMax: 42, version: 2 });
    const history = await ledger.services.revisions.history('casualty-reports', 'cas_acled_PAK10004');
    expect(history.at(-1)).toMatchObject({ version: 2, action: 'updated', changes: { killed: { to: { min: 42, max: 42 } } } });
  });
});

describe('an interrupted import', () => {
  it('completes on a re-run and ends identical to a clean run', async () => {
    const interrupted = await freshLedger();
    const stop = new Error('interrupted after the second batch');
    await expect(
      importSample(interrupted, {
        onBatch: (progress) => {
          if (progress.batches === 2) throw stop;
        },
      }),
    ).rejects.toBe(stop);
    const halfway = await interrupted.database.prisma.event.count({ where: { externalId: { not: null } } });
    expect(halfway).toBe(200);

    const rerun = await importSample(interrupted);
    expect(rerun).toMatchObject({ imported: 100, unchanged: 200, updated: 0, rejected: 8 });

    const clean = await freshLedger();
    await importSample(clean);
    expect(await ledgerState(interrupted.database)).toEqual(await ledgerState(clean.database));
  });
});

describe('a damaged export with NUL bytes', () => {
  it('rejects only the rows holding one, per column, and imports the rest of the batch', async () => {
    const ledger = await freshLedger();
    const lines = readFileSync(SAMPLE, 'utf8').split('\n');
    const row = (id: string) => lines.find((l) => l.startsWith(`${id},`))!;
    // Raw bytes, as a damaged file would hold them: a NUL in a cell, and a NUL-only cell.
    const file = Buffer.concat([
      Buffer.from(`${HEADER}\n${row('IRN10000')}\n`),
      Buffer.from(`${row('PAK10004').replace(',Political violence,', ',Political\u0000violence,')}\n`),
      Buffer.from(`${row('PAK10005').replace(/^PAK10005,/, 'PAK10005\u0000,')}\n`),
      Buffer.from(`${row('PAK10009')}\n`),
    ]);
    const result = await ledger.services.imports.run(Readable.from([file]), { format: 'acled', changedBy: 'test-import' });
    expect(result).toMatchObject({ rows: 4, imported: 2, rejected: 2, batches: 1 });
    expect(result.rejections).toEqual([
      { line: 3, column: 'disorder_type', reason: 'contains a NUL character (U+0000), which the ledger cannot store' },
      { line: 4, column: 'event_id_cnty', reason: 'contains a NUL character (U+0000), which the ledger cannot store' },
    ]);
    const stored = await ledger.database.prisma.event.findMany({ where: { externalId: { not: null } }, select: { externalId: true }, orderBy: { externalId: 'asc' } });
    expect(stored).toEqual([{ externalId: 'IRN10000' }, { externalId: 'PAK10009' }]);
  });
});
