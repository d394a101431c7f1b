// Writes tests/fixtures/acled-sample.csv: an ACLED-format export made up for the import
// tests (no real ACLED data). Deterministic: the same file on every run.
//   tsx scripts/make-acled-sample.ts
// It covers every ACLED event and sub-event type, quotes, commas and line breaks in notes,
// empty optional columns, both date formats ACLED publishes, and deliberately bad rows;
// it prints the line each bad row starts on, which tests/imports/ expect.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import { EVENT_TAXONOMY } from '../src/domain/taxonomy.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SAMPLE_FILE = path.join(root, 'tests', 'fixtures', 'acled-sample.csv');

export const COLUMNS = [
  'event_id_cnty', 'event_date', 'year', 'time_precision', 'disorder_type', 'event_type', 'sub_event_type',
  'actor1', 'assoc_actor_1', 'inter1', 'actor2', 'assoc_actor_2', 'inter2', 'interaction', 'civilian_targeting',
  'iso', 'region', 'country', 'admin1', 'admin2', 'admin3', 'location', 'latitude', 'longitude', 'geo_precision',
  'source', 'source_scale', 'notes', 'fatalities', 'tags', 'timestamp',
] as const;
type Row = Record<(typeof COLUMNS)[number], string>;

/** mulberry32: a small seeded generator, so the sample never changes. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLACES = [
  { iso: '4', cnty: 'AFG', country: 'Afghanistan', admin1: 'Kandahar', admin2: 'Spin Boldak', admin3: '', location: 'Spin Boldak', lat: 31.0047, lon: 66.3997 },
  { iso: '4', cnty: 'AFG', country: 'Afghanistan', admin1: 'Kabul', admin2: 'Kabul', admin3: '', location: 'Kabul', lat: 34.5281, lon: 69.1723 },
  { iso: '4', cnty: 'AFG', country: 'Afghanistan', admin1: 'Nangarhar', admin2: 'Achin', admin3: '', location: 'Achin', lat: 34.1258, lon: 70.6825 },
  { iso: '586', cnty: 'PAK', country: 'Pakistan', admin1: 'Khyber Pakhtunkhwa', admin2: 'Kurram', admin3: 'Parachinar', location: 'Parachinar', lat: 33.8992, lon: 70.1008 },
  { iso: '586', cnty: 'PAK', country: 'Pakistan', admin1: 'Balochistan', admin2: 'Quetta', admin3: 'Quetta City', location: 'Quetta', lat: 30.1798, lon: 66.975 },
  { iso: '586', cnty: 'PAK', country: 'Pakistan', admin1: 'Khyber Pakhtunkhwa', admin2: 'Peshawar', admin3: '', location: 'Peshawar', lat: 34.0151, lon: 71.5249 },
  { iso: '364', cnty: 'IRN', country: 'Iran', admin1: 'Sistan and Baluchestan', admin2: 'Zahedan', admin3: '', location: 'Zahedan', lat: 29.4963, lon: 60.8629 },
];

const STATE = { AFG: 'Military Forces of Afghanistan (2021-)', PAK: 'Military Forces of Pakistan (2018-)', IRN: 'Military Forces of Iran (1989-)' } as Record<string, string>;
const POLICE = { AFG: 'Police Forces of Afghanistan (2021-)', PAK: 'Police Forces of Pakistan (2018-)', IRN: 'Police Forces of Iran (1989-)' } as Record<string, string>;
const REBELS = ['TTP: Tehreek-i-Taliban Pakistan', 'ISKP: Islamic State (Khorasan Province)', 'BLA: Baloch Liberation Army', 'Unidentified Armed Group'];
const SOURCES = ['Dawn', 'Pajhwok Afghan News', 'Tolo News; Reuters', 'Express Tribune', 'Khaama Press', 'Radio Azadi', 'Halvash'];
const SCALES = ['National', 'Subnational', 'National-International', 'Local partner-New media', ''];

function actorsFor(subEventType: string, cnty: string, country: string, pick: <T>(xs: readonly T[]) => T) {
  const civilians = `Civilians (${country})`;
  switch (subEventType) {
    case 'Peaceful protest':
      return { actor1: `Protesters (${country})`, inter1: 'Protesters', actor2: '', inter2: '' };
    case 'Protest with intervention':
    case 'Excessive force against protesters':
      return { actor1: `Protesters (${country})`, inter1: 'Protesters', actor2: POLICE[cnty], inter2: 'State forces' };
    case 'Violent demonstration':
      return { actor1: `Rioters (${country})`, inter1: 'Rioters', actor2: POLICE[cnty], inter2: 'State forces' };
    case 'Mob violence':
      return { actor1: `Rioters (${country})`, inter1: 'Rioters', actor2: civilians, inter2: 'Civilians' };
    case 'Sexual violence':
    case 'Attack':
    case 'Abduction/forced disappearance':
      return { actor1: pick(REBELS), inter1: 'Rebel group', actor2: civilians, inter2: 'Civilians' };
    case 'Agreement':
      return { actor1: `Government of ${country}`, inter1: 'State forces', actor2: pick(REBELS), inter2: 'Rebel group' };
    case 'Headquarters or base established':
    case 'Change to group/activity':
      return { actor1: pick(REBELS), inter1: 'Rebel group', actor2: '', inter2: '' };
    default:
      return { actor1: STATE[cnty], inter1: 'State forces', actor2: pick(REBELS), inter2: 'Rebel group' };
  }
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function goodRow(i: number, rand: () => number): Row {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const types = EVENT_TAXONOMY.flatMap((t) => t.sub_event_types.map((s) => ({ type: t, sub: s as string })));
  const { type, sub } = types[i % types.length];
  const place = pick(PLACES);
  const day = new Date(Date.UTC(2025, 9, 1 + Math.floor(rand() * 61)));
  const iso = day.toISOString().slice(0, 10);
  // Most rows use the API's date format, every seventh the export tool's "06 November 2025".
  const date = i % 7 === 3 ? `${String(day.getUTCDate()).padStart(2, '0')} ${MONTHS[day.getUTCMonth()]} ${day.getUTCFullYear()}` : iso;
  const actors = actorsFor(sub, place.cnty, place.country, pick);
  const fatalities = type.event_type === 'Protests' || type.event_type === 'Strategic developments' ? 0 : Math.floor(rand() * 12);
  const precision = i % 11 === 5 ? '2' : i % 13 === 7 ? '3' : '1';
  const geo = i % 9 === 4 ? '2' : i % 17 === 8 ? '3' : '1';
  const withCoordinates = i % 19 !== 6;
  let notes = `On ${iso}, ${actors.actor1}${actors.actor2 ? ` and ${actors.actor2}` : ''} were involved in an event coded as ${sub.toLowerCase()} in ${place.location} (${place.admin1}, ${place.country}).`;
  if (i % 5 === 0) notes += ` A local official said, "the situation is tense, but under control".`;
  if (i % 6 === 1) notes += `\nA second report, filed later, gave more detail:\n"${fatalities} people were killed," it said.`;
  if (fatalities > 0) notes += ` [${fatalities} fatalities]`;
  if (i % 23 === 0) notes = '';
  const assoc1 = sub === 'Peaceful protest' && i % 2 === 0 ? `Teachers (${place.country}); Students (${place.country})` : '';
  const assoc2 = actors.inter2 === 'Civilians' && i % 3 === 0 ? `Pashtun Ethnic Group (${place.country})` : '';
  return {
    event_id_cnty: `${place.cnty}${String(10000 + i)}`,
    event_date: date,
    year: String(day.getUTCFullYear()),
    time_precision: precision,
    disorder_type: type.disorder_type,
    event_type: type.event_type,
    sub_event_type: sub,
    actor1: actors.actor1,
    assoc_actor_1: assoc1,
    inter1: actors.inter1,
    actor2: actors.actor2,
    assoc_actor_2: assoc2,
    inter2: actors.inter2,
    interaction: actors.inter2 ? `${actors.inter1}-${actors.inter2}` : `${actors.inter1} only`,
    civilian_targeting: actors.inter2 === 'Civilians' ? 'Civilian targeting' : '',
    iso: place.iso,
    region: place.cnty === 'IRN' ? 'Middle East' : 'South Asia',
    country: place.country,
    admin1: place.admin1,
    admin2: i % 10 === 9 ? '' : place.admin2,
    admin3: place.admin3,
    location: place.location,
    latitude: withCoordinates ? place.lat.toFixed(4) : '',
    longitude: withCoordinates ? place.lon.toFixed(4) : '',
    geo_precision: geo,
    source: pick(SOURCES),
    source_scale: pick(SCALES),
    notes,
    fatalities: String(fatalities),
    tags: i % 8 === 2 ? 'crowd size=no report' : '',
    timestamp: String(1762500000 + i * 3600),
  };
}

/** The deliberately bad rows, each spoiling one thing about a good row. */
const BAD: { after: number; what: string; spoil: (row: Row) => Row }[] = [
  { after: 20, what: 'bad date', spoil: (r) => ({ ...r, event_id_cnty: 'PAK90001', event_date: '2025-02-30' }) },
  { after: 60, what: 'bad number', spoil: (r) => ({ ...r, event_id_cnty: 'PAK90002', fatalities: 'three' }) },
  { after: 100, what: 'unknown event type', spoil: (r) => ({ ...r, event_id_cnty: 'PAK90003', event_type: 'Skirmishes' }) },
  { after: 140, what: 'missing required value', spoil: (r) => ({ ...r, event_id_cnty: 'PAK90004', actor1: '' }) },
  { after: 180, what: 'bad iso', spoil: (r) => ({ ...r, event_id_cnty: 'PAK90005', iso: '999' }) },
  { after: 220, what: 'bad coordinate', spoil: (r) => ({ ...r, event_id_cnty: 'PAK90006', latitude: '34.5N' }) },
  { after: 260, what: 'same event twice', spoil: (r) => r },
];

export const GOOD_ROWS = 300;

function main(): void {
  const rand = random(20251107);
  const lines: string[] = [stringify([COLUMNS as unknown as string[]])];
  let line = 2;
  const report: string[] = [];
  const write = (row: Row) => {
    const text = stringify([COLUMNS.map((c) => row[c])]);
    lines.push(text);
    const start = line;
    line += (text.match(/\n/g) ?? []).length;
    return start;
  };
  const firstOf: Record<string, Row> = {};
  for (let i = 0; i < GOOD_ROWS; i += 1) {
    const row = goodRow(i, rand);
    firstOf[row.event_id_cnty.slice(0, 3)] ??= row;
    write(row);
    for (const bad of BAD.filter((b) => b.after === i)) {
      // The duplicate repeats the first row of its country, under the same id.
      const base = bad.what === 'same event twice' ? firstOf[row.event_id_cnty.slice(0, 3)] : row;
      report.push(`line ${write(bad.spoil(base))}: ${bad.what}`);
    }
  }
  // A row with a field too many, written by hand as a broken export would have it.
  const extra = stringify([[...COLUMNS.map((c) => goodRow(999, random(1))[c]), 'stray']]).replace('AFG10999', 'AFG90007').replace('PAK10999', 'PAK90007').replace('IRN10999', 'IRN90007');
  report.push(`line ${line}: a field too many`);
  lines.push(extra);
  writeFileSync(SAMPLE_FILE, lines.join(''));
  console.log(`Wrote ${path.relative(root, SAMPLE_FILE)}: ${GOOD_ROWS} good rows, ${report.length} bad ones:`);
  for (const entry of report) console.log(`  ${entry}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
