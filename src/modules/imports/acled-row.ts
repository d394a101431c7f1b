import { alpha3OfAcledIso } from '../../domain/iso-countries.js';
import { containsNul, NUL_REJECTION } from '../../domain/nul.js';
import { EVENT_TAXONOMY, type EventType, type SubEventType } from '../../domain/taxonomy.js';
import type { ActorKind } from './imports.types.js';
import type { Rejection } from './imports.types.js';

// One row of an ACLED export, checked and read into the ledger's terms. Pure: no database.
// The column set is ACLED's published one (https://acleddata.com, codebook); columns we do
// not store (region, year, interaction, …) may be present or absent.

/** Columns a file must have; a file without one of them is refused as a whole. */
export const ACLED_REQUIRED_COLUMNS = [
  'event_id_cnty',
  'event_date',
  'time_precision',
  'event_type',
  'sub_event_type',
  'actor1',
  'iso',
  'geo_precision',
  'source',
  'fatalities',
] as const;

/** Columns read when present. */
export const ACLED_OPTIONAL_COLUMNS = [
  'disorder_type',
  'assoc_actor_1',
  'inter1',
  'actor2',
  'assoc_actor_2',
  'inter2',
  'interaction',
  'civilian_targeting',
  'region',
  'country',
  'admin1',
  'admin2',
  'admin3',
  'location',
  'latitude',
  'longitude',
  'source_scale',
  'notes',
  'tags',
  'timestamp',
] as const;

export interface AcledActorRef {
  name: string;
  kind: ActorKind;
}

/** An ACLED row in the ledger's terms, before actors are looked up or ids assigned. */
export interface AcledEvent {
  externalId: string;
  title: string;
  eventType: EventType;
  subEventType: SubEventType;
  startDate: string;
  endDate: string;
  datePrecision: 'day' | 'week' | 'month';
  dateNote: string | null;
  country: string;
  admin1: string | null;
  admin2: string | null;
  location: string | null;
  latitude: number | null;
  longitude: number | null;
  geoPrecision: 'locality' | 'admin2' | 'admin1';
  description: string | null;
  notes: string | null;
  sideA: AcledActorRef;
  sideB: AcledActorRef | null;
  associatedA: string[];
  associatedB: string[];
  fatalities: number;
  /** The day ACLED last changed the row (its `timestamp`), if given. */
  reportedOn: string | null;
  source: { title: string; text: string; publishedOn: string | null; notes: string | null };
  /** The verbatim passage of the source text that supports the event. */
  excerpt: string;
}

export type AcledRowResult = { ok: true; event: AcledEvent } | { ok: false; rejections: Rejection[] };

const MAX_EXCERPT = 5000;
const MAX_TEXT = 10_000;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** ACLED's API gives `2025-11-06`; its export tool `06 November 2025`. Both are read. */
export function parseAcledDate(value: string): string | undefined {
  let year: number, month: number, day: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const long = /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/.exec(value);
  if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (long) {
    month = MONTHS.indexOf(long[2].toLowerCase()) + 1;
    if (month === 0) return undefined;
    [year, day] = [Number(long[3]), Number(long[1])];
  } else return undefined;
  return isRealDate(year, month, day) ? isoDate(year, month, day) : undefined;
}

function shiftDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function monthBounds(date: string): [string, string] {
  const [year, month] = date.split('-').map(Number);
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return [isoDate(year, month, 1), isoDate(year, month, last)];
}

/**
 * ACLED's time_precision: 1 the day is known; 2 only the week (ACLED dates the event inside
 * it); 3 only the month. The ledger keeps bounds and never invents a day.
 */
export function acledDates(date: string, precision: 1 | 2 | 3) {
  if (precision === 1) return { startDate: date, endDate: date, datePrecision: 'day' as const, dateNote: null };
  if (precision === 2) {
    return {
      startDate: shiftDays(date, -3),
      endDate: shiftDays(date, 3),
      datePrecision: 'week' as const,
      dateNote: `ACLED time_precision 2: only the week is known; ACLED dates it ${date}.`,
    };
  }
  const [startDate, endDate] = monthBounds(date);
  return { startDate, endDate, datePrecision: 'month' as const, dateNote: `ACLED time_precision 3: only the month is known; ACLED dates it ${date}.` };
}

/** ACLED's geo_precision 1/2/3: the town itself, a nearby town or part of a region, a region's capital. */
export const ACLED_GEO_PRECISION = { 1: 'locality', 2: 'admin2', 3: 'admin1' } as const;

// ACLED's actor types (inter1/inter2): numeric codes in older files, names in newer ones.
const INTER_KINDS: Record<string, ActorKind> = {
  '1': 'armed_forces',
  'state forces': 'armed_forces',
  '2': 'armed_group',
  'rebel group': 'armed_group',
  'rebel groups': 'armed_group',
  '3': 'armed_group',
  'political militia': 'armed_group',
  'political militias': 'armed_group',
  '4': 'armed_group',
  'identity militia': 'armed_group',
  'identity militias': 'armed_group',
  '5': 'other',
  rioters: 'other',
  '6': 'other',
  protesters: 'other',
  '7': 'other',
  civilians: 'other',
  '8': 'other',
  'external/other forces': 'other',
  'external/other force': 'other',
};

const EVENT_TYPE_BY_NAME = new Map(EVENT_TAXONOMY.map((t) => [t.event_type.toLowerCase(), t]));
// Older ACLED files spell it "protestors".
const SUB_EVENT_ALIASES: Record<string, string> = { 'excessive force against protestors': 'excessive force against protesters' };

/** Splits ACLED's "A; B" lists of associated actors. */
function actorList(value: string): string[] {
  return [...new Set(value.split(';').map((name) => name.trim()).filter((name) => name !== ''))];
}

/**
 * Checks one ACLED row and reads it into the ledger's terms. Every problem found is a
 * rejection naming the column; a row with any rejection is not imported.
 */
export function readAcledRow(row: Record<string, string>, line: number): AcledRowResult {
  // A NUL in any cell, stored or not, marks a damaged row: it alone is reported, per column,
  // and nothing of the row is read further (nor quoted back in other reasons).
  const nulColumns = Object.keys(row).filter((column) => containsNul(row[column]));
  if (nulColumns.length > 0) return { ok: false, rejections: nulColumns.map((column) => ({ line, column, reason: NUL_REJECTION })) };

  const rejections: Rejection[] = [];
  const reject = (column: string, reason: string) => rejections.push({ line, column, reason });
  const text = (column: string): string => (row[column] ?? '').trim();
  const optional = (column: string): string | null => text(column) || null;
  const required = (column: string): string => {
    const value = text(column);
    if (value === '') reject(column, 'is empty; a value is required');
    return value;
  };
  const code = <T extends number>(column: string, allowed: readonly T[]): T | undefined => {
    const value = required(column);
    if (value === '') return undefined;
    const n = Number(value);
    if (!allowed.includes(n as T)) {
      reject(column, `"${value}" is not one of ${allowed.join(', ')}`);
      return undefined;
    }
    return n as T;
  };
  const coordinate = (column: string, limit: number): number | null => {
    const value = text(column);
    if (value === '') return null;
    const n = Number(value);
    if (!Number.isFinite(n) || Math.abs(n) > limit) {
      reject(column, `"${value}" is not a number between -${limit} and ${limit}`);
      return null;
    }
    return n;
  };

  const externalId = required('event_id_cnty');
  if (externalId.length > 200) reject('event_id_cnty', 'is longer than 200 characters');

  const rawDate = required('event_date');
  const date = rawDate === '' ? undefined : parseAcledDate(rawDate);
  if (rawDate !== '' && date === undefined) reject('event_date', `"${rawDate}" is not a date (expected YYYY-MM-DD or "6 November 2025")`);
  const timePrecision = code('time_precision', [1, 2, 3] as const);

  const rawType = required('event_type');
  const taxonomy = rawType === '' ? undefined : EVENT_TYPE_BY_NAME.get(rawType.toLowerCase());
  if (rawType !== '' && !taxonomy) reject('event_type', `"${rawType}" is not an ACLED event type`);
  const rawSubType = required('sub_event_type');
  let subEventType: SubEventType | undefined;
  if (taxonomy && rawSubType !== '') {
    const wanted = SUB_EVENT_ALIASES[rawSubType.toLowerCase()] ?? rawSubType.toLowerCase();
    subEventType = (taxonomy.sub_event_types as readonly SubEventType[]).find((s) => s.toLowerCase() === wanted);
    if (!subEventType) reject('sub_event_type', `"${rawSubType}" is not a sub-event type of "${taxonomy.event_type}"`);
  }

  const actor1 = required('actor1');
  const actor2 = optional('actor2');
  const kindOf = (column: string): ActorKind => INTER_KINDS[text(column).toLowerCase()] ?? 'other';
  for (const column of ['actor1', 'actor2', 'assoc_actor_1', 'assoc_actor_2']) {
    if (actorList(text(column)).some((name) => name.length > 300)) reject(column, 'names an actor longer than 300 characters');
  }

  const rawIso = required('iso');
  let country: string | undefined;
  if (rawIso !== '') {
    country = /^\d{1,3}$/.test(rawIso) ? alpha3OfAcledIso(Number(rawIso)) : undefined;
    if (!country) reject('iso', `"${rawIso}" is not an ISO 3166-1 numeric country code`);
  }

  const latitude = coordinate('latitude', 90);
  const longitude = coordinate('longitude', 180);
  if ((latitude === null) !== (longitude === null) && !rejections.some((r) => r.column === 'latitude' || r.column === 'longitude')) {
    reject(latitude === null ? 'latitude' : 'longitude', 'latitude and longitude go together: give both or neither');
  }
  const geoPrecision = code('geo_precision', [1, 2, 3] as const);

  const rawFatalities = required('fatalities');
  let fatalities: number | undefined;
  if (rawFatalities !== '') {
    fatalities = /^\d{1,7}$/.test(rawFatalities) ? Number(rawFatalities) : undefined;
    if (fatalities === undefined) reject('fatalities', `"${rawFatalities}" is not a whole number of people`);
  }

  const source = required('source');
  const notes = optional('notes');
  if (notes && notes.length > MAX_TEXT) reject('notes', `is longer than ${MAX_TEXT} characters`);
  if (source.length > MAX_TEXT) reject('source', `is longer than ${MAX_TEXT} characters`);

  const rawTimestamp = text('timestamp');
  let reportedOn: string | null = null;
  if (rawTimestamp !== '') {
    const seconds = /^\d{1,12}$/.test(rawTimestamp) ? Number(rawTimestamp) : NaN;
    if (Number.isNaN(seconds)) reject('timestamp', `"${rawTimestamp}" is not a Unix timestamp (seconds)`);
    else reportedOn = new Date(seconds * 1000).toISOString().slice(0, 10);
  }

  const location = optional('location');
  for (const column of ['admin1', 'admin2', 'location']) {
    if (text(column).length > 200) reject(column, 'is longer than 200 characters');
  }

  if (rejections.length > 0 || !taxonomy || !subEventType || !date || !timePrecision || !country || !geoPrecision || fatalities === undefined) {
    return { ok: false, rejections };
  }

  // The source text is the row's `source` and `notes`; the excerpt is verbatim text of it.
  const sourceText = notes ? `${source}\n\n${notes}` : source;
  const excerpt = (notes ?? source).slice(0, MAX_EXCERPT);
  const where = location ?? optional('admin1') ?? optional('country') ?? country;
  const extras = (['disorder_type', 'inter1', 'inter2', 'interaction', 'civilian_targeting', 'admin3', 'tags'] as const)
    .filter((column) => text(column) !== '')
    .map((column) => `${column}: ${text(column)}`);

  return {
    ok: true,
    event: {
      externalId,
      title: `${subEventType} in ${where}`.slice(0, 500),
      eventType: taxonomy.event_type,
      subEventType,
      ...acledDates(date, timePrecision),
      country,
      admin1: optional('admin1'),
      admin2: optional('admin2'),
      location,
      latitude,
      longitude,
      geoPrecision: ACLED_GEO_PRECISION[geoPrecision],
      description: notes,
      notes: extras.length > 0 ? `ACLED ${extras.join('; ')}`.slice(0, MAX_TEXT) : null,
      sideA: { name: actor1, kind: kindOf('inter1') },
      sideB: actor2 ? { name: actor2, kind: kindOf('inter2') } : null,
      associatedA: actorList(text('assoc_actor_1')).filter((name) => name !== actor1),
      associatedB: actorList(text('assoc_actor_2')).filter((name) => name !== actor2),
      fatalities,
      reportedOn,
      source: {
        title: `ACLED event ${externalId}`,
        text: sourceText,
        publishedOn: reportedOn,
        notes: optional('source_scale') ? `ACLED source_scale: ${text('source_scale')}` : null,
      },
      excerpt,
    },
  };
}
