import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { getJson, seededApp, type TestApp } from '../helpers/app.js';
import { eventExporter } from '../../src/modules/events/events.export.js';
import { actorExporter } from '../../src/modules/actors/actors.export.js';
import { statementExporter } from '../../src/modules/statements/statements.export.js';
import { casualtyReportExporter } from '../../src/modules/casualty-reports/casualty-reports.export.js';
import { sourceExporter } from '../../src/modules/sources/sources.export.js';
import type { Exporter } from '../../src/http/export.js';

let t: TestApp;
beforeAll(async () => {
  t = await seededApp();
});
afterAll(() => t.close());

const cases: [string, string, Exporter<any>][] = [
  ['/v1/events', 'include=participants', eventExporter],
  ['/v1/actors', '', actorExporter],
  ['/v1/statements', '', statementExporter],
  ['/v1/casualty-reports', '', casualtyReportExporter],
  ['/v1/sources', '', sourceExporter],
];

/** What a CSV cell holds for a JSON value: empty for null, text otherwise. */
const cell = (value: unknown) => (value === null || value === undefined ? '' : String(value));

describe('CSV', () => {
  it.each(cases)('%s?format=csv round-trips through a CSV parser to the JSON route', async (path, include, exporter) => {
    const response = await t.app.inject({ method: 'GET', url: `${path}?format=csv` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="[a-z-]+\.csv"$/);
    const rows: Record<string, string>[] = parse(response.body, { columns: true, bom: true });
    expect(Object.keys(rows[0])).toEqual([...exporter.columns]);

    const json = (await getJson(t.app, `${path}?limit=1000${include ? `&${include}` : ''}`)).body.data;
    expect(rows.map((r) => r.id)).toEqual(json.map((r: { id: string }) => r.id));
    json.forEach((record: object, i: number) => {
      const flat = exporter.flatten(record);
      for (const column of exporter.columns) expect(rows[i][column], `${path} ${rows[i].id} ${column}`).toBe(cell(flat[column]));
    });
  });

  it('keeps quotes, commas and newlines intact (RFC 4180)', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/sources?format=csv' });
    expect(response.body).toMatch(/"[^"]*,[^"]*"/); // a quoted cell holding a comma
    const [source] = parse(response.body, { columns: true });
    expect(source.title).toBe((await getJson(t.app, '/v1/sources')).body.data[0].title);
  });

  it('applies the filters and is chosen by the Accept header too', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/events?country=AFG', headers: { accept: 'text/csv' } });
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parse(response.body, { columns: true });
    expect(rows.map((r: { id: string }) => r.id).sort()).toEqual(['evt_kabul_explosion', 'evt_spinghar_border_clash']);
    expect(rows.find((r: { id: string }) => r.id === 'evt_spinghar_border_clash').side_a).toBe('Pakistan Armed Forces');
  });
});

describe('fields', () => {
  it('narrows an export to id and the requested columns', async () => {
    const csv = await t.app.inject({ method: 'GET', url: '/v1/events?format=csv&fields=country,title' });
    const rows = parse(csv.body, { columns: true });
    expect(Object.keys(rows[0])).toEqual(['id', 'title', 'country']);
    expect(rows.find((r: { id: string }) => r.id === 'evt_spinghar_border_clash')).toEqual({
      id: 'evt_spinghar_border_clash',
      title: 'Border clash in Spinghar district, Kandahar province',
      country: 'AFG',
    });
    const ndjson = await t.app.inject({ method: 'GET', url: '/v1/actors?format=ndjson&fields=name' });
    for (const line of ndjson.body.trim().split('\n')) expect(Object.keys(JSON.parse(line)).sort()).toEqual(['id', 'name']);
  });
});

describe('NDJSON', () => {
  it.each(cases)('%s?format=ndjson is one JSON record a line, as the JSON route has them', async (path, include) => {
    const response = await t.app.inject({ method: 'GET', url: `${path}?format=ndjson${include ? `&${include}` : ''}` });
    expect(response.headers['content-type']).toBe('application/x-ndjson');
    const lines = response.body.split('\n');
    expect(lines.pop()).toBe('');
    const records = lines.map((line) => JSON.parse(line));
    const json = (await getJson(t.app, `${path}?limit=1000${include ? `&${include}` : ''}`)).body.data;
    expect(records).toEqual(json);
  });
});

/** The parts of RFC 7946 a FeatureCollection of points must satisfy. */
function rfc7946Problems(doc: any): string[] {
  const problems: string[] = [];
  if (doc.type !== 'FeatureCollection') problems.push('type is not FeatureCollection');
  if (!Array.isArray(doc.features)) return [...problems, 'features is not an array'];
  doc.features.forEach((f: any, i: number) => {
    if (f.type !== 'Feature') problems.push(`features[${i}].type`);
    if (!('geometry' in f)) problems.push(`features[${i}] has no geometry member`);
    if (!('properties' in f) || (f.properties !== null && typeof f.properties !== 'object')) problems.push(`features[${i}].properties`);
    if (f.id !== undefined && typeof f.id !== 'string' && typeof f.id !== 'number') problems.push(`features[${i}].id`);
    if (f.geometry !== null) {
      const c = f.geometry?.coordinates;
      const ok = f.geometry?.type === 'Point' && Array.isArray(c) && c.length === 2 && c.every(Number.isFinite) && Math.abs(c[0]) <= 180 && Math.abs(c[1]) <= 90;
      if (!ok) problems.push(`features[${i}].geometry is not a Point [lon, lat]`);
    }
  });
  return problems;
}

describe('GeoJSON', () => {
  it('is an RFC 7946 FeatureCollection with [lon, lat] points where coordinates are known', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/events', headers: { accept: 'application/geo+json' } });
    expect(response.headers['content-type']).toBe('application/geo+json');
    const doc = response.json();
    expect(rfc7946Problems(doc)).toEqual([]);
    const kabul = doc.features.find((f: { id: string }) => f.id === 'evt_kabul_explosion');
    expect(kabul.geometry).toEqual({ type: 'Point', coordinates: [69.2075, 34.5553] });
    const clash = doc.features.find((f: { id: string }) => f.id === 'evt_spinghar_border_clash');
    expect(clash.geometry).toBeNull();
    expect(clash.properties.admin2).toBe('Spinghar');
  });

  it.each(cases.slice(1))('%s?format=geojson is valid too, with null geometry', async (path) => {
    const doc = (await t.app.inject({ method: 'GET', url: `${path}?format=geojson` })).json();
    expect(rfc7946Problems(doc)).toEqual([]);
    expect(doc.features.length).toBeGreaterThan(0);
  });
});

// Last: it adds thousands of events to this file's database.
describe('large results', () => {
  it('exports every row, past the largest JSON page', async () => {
    const base = { eventType: 'Battles', datePrecision: 'day', startDate: '1999-01-01', endDate: '1999-01-01', updatedAt: new Date() };
    const extra = Array.from({ length: 2500 }, (_, i) => ({ ...base, id: `evt_bulk_${String(i).padStart(5, '0')}`, title: `Bulk ${i}` }));
    await t.database.prisma.event.createMany({ data: extra });
    const response = await t.app.inject({ method: 'GET', url: '/v1/events?format=csv&to=1999-12-31' });
    const rows = parse(response.body, { columns: true });
    expect(rows).toHaveLength(2500);
    expect(new Set(rows.map((r: { id: string }) => r.id)).size).toBe(2500);
    // A full JSON page with every include stays within the database's parameter limits.
    const page = await t.app.inject({ method: 'GET', url: '/v1/events?limit=1000&include=participants,casualty_reports,statements,children' });
    expect(page.statusCode).toBe(200);
    expect(page.json().data).toHaveLength(1000);
  });
});
