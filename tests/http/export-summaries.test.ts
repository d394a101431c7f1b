import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { connectDatabase, type Database } from '../../src/db/prisma.js';
import { eventExporter } from '../../src/modules/events/events.export.js';
import { loadSynthetic } from '../../src/synthetic/load.js';
import { cloneDatabase, type ScratchDatabase } from '../helpers/databases.js';
import { walkPages } from '../helpers/app.js';

// CSV and GeoJSON read events through one query a chunk (their first cited passage and
// their actors' names in the query itself) instead of whole events. On a synthetic ledger
// (2-3 participants and several passages an event) with tombstoned participants and
// passages, and an event with neither, the cells must be those of the JSON route's events.

const EVENTS = 400;
const cell = (value: unknown) => (value === null || value === undefined ? '' : String(value));

let scratch: ScratchDatabase;
let database: Database;
let app: App;

beforeAll(async () => {
  scratch = await cloneDatabase(inject('templateDatabaseUrl'));
  await loadSynthetic(scratch.url, { events: EVENTS, seed: 11, force: true });
  database = await connectDatabase(scratch.url);
  // Tombstones the exports must skip, and an event left with no actors and no passage.
  const participants = await database.prisma.eventParticipant.findMany({ select: { id: true }, orderBy: { id: 'asc' }, take: 60 });
  await database.prisma.eventParticipant.updateMany({ where: { id: { in: participants.filter((_, i) => i % 3 === 0).map((p) => p.id) } }, data: { deletedAt: new Date() } });
  const passages = await database.prisma.provenance.findMany({ where: { eventId: { not: null } }, select: { id: true }, orderBy: { id: 'asc' }, take: 90 });
  await database.prisma.provenance.updateMany({ where: { id: { in: passages.filter((_, i) => i % 2 === 0).map((p) => p.id) } }, data: { deletedAt: new Date() } });
  // Events citing several passages: which comes first is the exports' source columns.
  const sources = await database.prisma.source.findMany({ select: { id: true }, orderBy: { id: 'asc' }, take: 3 });
  const cited = await database.prisma.event.findMany({ select: { id: true }, orderBy: { id: 'asc' }, skip: 100, take: 40 });
  await database.prisma.provenance.createMany({
    data: cited.flatMap((event, i) => [
      { id: `prv_extra_${i}_a`, eventId: event.id, sourceId: sources[i % 3].id, excerpt: `early passage ${i}`, startOffset: i % 2, endOffset: 10 },
      { id: `prv_extra_${i}_b`, eventId: event.id, sourceId: sources[(i + 1) % 3].id, excerpt: `unplaced passage ${i}`, startOffset: null, endOffset: null },
    ]),
  });
  const bare = await database.prisma.event.findFirstOrThrow({ select: { id: true }, orderBy: { id: 'desc' } });
  await database.prisma.eventParticipant.updateMany({ where: { eventId: bare.id }, data: { deletedAt: new Date() } });
  await database.prisma.provenance.updateMany({ where: { eventId: bare.id }, data: { deletedAt: new Date() } });
  app = await buildApp({ database });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
  await scratch?.drop();
});

describe('event exports on a synthetic ledger', () => {
  it('give every CSV cell and every GeoJSON property the JSON route gives', async () => {
    const query = 'from=1990-01-01';
    const { records } = await walkPages(app, `/v1/events?${query}&include=participants&limit=200`);
    expect(records.length).toBe(EVENTS);
    const expected = records.map((event) => eventExporter.flatten(event));
    expect(expected.some((row) => row.actors === '')).toBe(true);
    expect(expected.some((row) => row.source_id === null)).toBe(true);

    const csv = await app.inject({ method: 'GET', url: `/v1/events?${query}&format=csv` });
    const rows: Record<string, string>[] = parse(csv.body, { columns: true });
    expect(rows.length).toBe(records.length);
    rows.forEach((row, i) => {
      for (const column of eventExporter.columns) expect(row[column], `${row.id} ${column}`).toBe(cell(expected[i][column]));
    });

    const geojson = await app.inject({ method: 'GET', url: `/v1/events?${query}&format=geojson` });
    const features = geojson.json().features as { id: string; properties: Record<string, unknown> }[];
    expect(features.map((f) => f.properties)).toEqual(expected);
  });
});
