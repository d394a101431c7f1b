import { EVENT_TAXONOMY } from '../domain/taxonomy.js';

// A deterministic synthetic ledger for benchmarks: the same seed always yields the same
// rows, in the same order. It looks like ACLED-scale data where it matters for query
// plans: countries and actors follow skewed (Zipf-like) distributions, actors form
// hierarchies (person → ministry → government), events have 2-3 participants, violent
// events carry casualty figures from several reporters, some carry statements with
// targets, and every record cites a synthetic source whose text holds the excerpt
// verbatim at the recorded offsets. Dates span the 30 years 1996-2025, denser lately.
//
// Rows are emitted as arrays in the column order of SYNTHETIC_COLUMNS, so that a writer
// can bind them to one prepared statement (SQLite) or one column array each (PostgreSQL).
// The four bookkeeping columns (created_at, updated_at, version, deleted_at) are appended
// by the writer from `stamp`, the record's creation day.

export const SYNTHETIC_COLUMNS = {
  sources: ['id', 'title', 'publisher', 'url', 'original_url', 'language', 'published_on', 'kind', 'credit', 'notes', 'text'],
  actors: ['id', 'name', 'kind', 'country', 'parent_id', 'title', 'notes'],
  actor_aliases: ['id', 'actor_id', 'alias'],
  events: [
    'id', 'title', 'event_type', 'sub_event_type', 'start_date', 'end_date', 'date_precision', 'date_note', 'country', 'admin1',
    'admin2', 'location', 'latitude', 'longitude', 'geo_precision', 'description', 'notes', 'status', 'parent_id',
  ],
  event_participants: ['id', 'event_id', 'actor_id', 'role', 'notes'],
  statements: [
    'id', 'kind', 'summary', 'quote', 'said_on', 'said_on_precision', 'date_note', 'speaker_id', 'on_behalf_of_id', 'attribution',
    'attribution_note',
  ],
  statement_targets: ['id', 'statement_id', 'actor_id'],
  statement_events: ['id', 'statement_id', 'event_id'],
  casualty_reports: [
    'id', 'event_id', 'reported_by_id', 'statement_id', 'reported_on', 'reported_on_precision', 'period_start', 'period_end',
    'category', 'affected_actor_id', 'affected_country', 'killed_min', 'killed_max', 'injured_min', 'injured_max', 'qualifier',
    'notes',
  ],
  provenance: ['id', 'source_id', 'excerpt', 'start_offset', 'end_offset', 'actor_id', 'event_id', 'participant_id', 'statement_id', 'casualty_report_id'],
} as const;

export type SyntheticTable = keyof typeof SYNTHETIC_COLUMNS;
export type Cell = string | number | null;

/** Where generated rows go: `stamp` is the record's day (YYYY-MM-DD), its created_at. */
export type RowSink = (table: SyntheticTable, row: Cell[], stamp: string) => void;

export interface SyntheticOptions {
  events: number;
  seed: number;
}

/** How many events one synthetic source (a "weekly digest") reports. */
const EVENTS_PER_SOURCE = 20;

// mulberry32: small, fast and good enough for test data; the seed fixes everything.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks index i with probability proportional to 1 / (i + 1)^s. */
function zipf(n: number, s: number): (r: number) => number {
  const cumulative: number[] = [];
  let total = 0;
  for (let i = 0; i < n; i += 1) {
    total += 1 / (i + 1) ** s;
    cumulative.push(total);
  }
  return (r) => {
    const target = r * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

// Country order is the popularity order: the first is the most frequent.
export const SYNTHETIC_COUNTRIES: [string, string][] = [
  ['SYR', 'Syria'], ['UKR', 'Ukraine'], ['YEM', 'Yemen'], ['AFG', 'Afghanistan'], ['IND', 'India'], ['MEX', 'Mexico'],
  ['PAK', 'Pakistan'], ['NGA', 'Nigeria'], ['SOM', 'Somalia'], ['IRQ', 'Iraq'], ['SDN', 'Sudan'], ['COD', 'DR Congo'],
  ['BRA', 'Brazil'], ['MMR', 'Myanmar'], ['COL', 'Colombia'], ['PHL', 'Philippines'], ['MLI', 'Mali'], ['BFA', 'Burkina Faso'],
  ['ETH', 'Ethiopia'], ['LBY', 'Libya'], ['CMR', 'Cameroon'], ['SSD', 'South Sudan'], ['ISR', 'Israel'], ['PSE', 'Palestine'],
  ['TUR', 'Turkey'], ['LBN', 'Lebanon'], ['BGD', 'Bangladesh'], ['KEN', 'Kenya'], ['MOZ', 'Mozambique'], ['CAF', 'Central African Republic'],
  ['NER', 'Niger'], ['TCD', 'Chad'], ['HTI', 'Haiti'], ['VEN', 'Venezuela'], ['EGY', 'Egypt'], ['IRN', 'Iran'],
  ['RUS', 'Russia'], ['UGA', 'Uganda'], ['ZAF', 'South Africa'], ['PER', 'Peru'], ['THA', 'Thailand'], ['IDN', 'Indonesia'],
  ['BDI', 'Burundi'], ['AZE', 'Azerbaijan'], ['ARM', 'Armenia'], ['GEO', 'Georgia'], ['NPL', 'Nepal'], ['LKA', 'Sri Lanka'],
  ['ZWE', 'Zimbabwe'], ['TUN', 'Tunisia'],
];

const SYLLABLES = ['ka', 'ra', 'mi', 'to', 'sa', 'lu', 'ne', 'bo', 'da', 'ri', 'ha', 'zu', 'qa', 'li', 'mo', 've', 'ta', 'shi', 'ga', 'no', 'pe', 'ya', 'kor', 'dan', 'mar', 'sul', 'tel', 'bar'];

function placeName(rand: () => number, syllables: number): string {
  let name = '';
  for (let i = 0; i < syllables; i += 1) name += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
  return name[0].toUpperCase() + name.slice(1);
}

interface Place {
  admin1: string;
  admin2: string;
  location: string;
  lat: number;
  lon: number;
}

interface ActorInfo {
  id: string;
  name: string;
}

interface CountryWorld {
  iso: string;
  name: string;
  places: Place[];
  pickPlace: (r: number) => number;
  state: ActorInfo;
  government: ActorInfo;
  armedForces: ActorInfo;
  police: ActorInfo;
  spokesperson: ActorInfo;
  media: ActorInfo;
  groups: ActorInfo[];
  pickGroup: (r: number) => number;
}

const VIOLENT_TYPES = new Set(['Battles', 'Explosions/Remote violence', 'Violence against civilians', 'Riots']);
const EVENT_TYPE_WEIGHTS: [number, number][] = [
  [0, 0.3], [1, 0.2], [2, 0.15], [3, 0.2], [4, 0.07], [5, 0.08],
];
const CATEGORIES = ['civilians', 'military', 'combatants', 'unspecified'];
const STATEMENT_KINDS = ['accusation', 'denial', 'claim', 'warning', 'report'];
const FIRST_DAY = Date.UTC(1996, 0, 1);
const DAYS = Math.floor((Date.UTC(2025, 11, 31) - FIRST_DAY) / 86_400_000);

function day(offset: number): string {
  return new Date(FIRST_DAY + offset * 86_400_000).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Short, sortable, deterministic ids: prefix, seed, zero-padded base-36 sequence. */
function idOf(prefix: string, seed: number, n: number): string {
  return `${prefix}_syn${seed.toString(36)}_${n.toString(36).padStart(7, '0')}`;
}

export interface SyntheticCounts {
  [table: string]: number;
}

/**
 * Writes the whole synthetic ledger to `sink`, table rows interleaved in generation order.
 * It pauses (yields) after each source's block of rows, so that an asynchronous writer can
 * flush; it returns how many rows each table got.
 */
export function* generateLedger({ events: eventCount, seed }: SyntheticOptions, sink: RowSink): Generator<void, SyntheticCounts> {
  const rand = prng(seed);
  const counts: SyntheticCounts = {};
  let provenanceSeq = 0;
  let participantSeq = 0;
  let statementSeq = 0;
  let casualtySeq = 0;
  let linkSeq = 0;
  const emit = (table: SyntheticTable, row: Cell[], stamp: string) => {
    counts[table] = (counts[table] ?? 0) + 1;
    sink(table, row, stamp);
  };
  const provenance = (sourceId: string, text: string, excerpt: string, from: number, subject: number, subjectId: string, stamp: string) => {
    const start = text.indexOf(excerpt, from);
    if (start < 0) throw new Error(`synthetic excerpt not in its source: ${excerpt}`);
    const subjects: Cell[] = [null, null, null, null, null];
    subjects[subject] = subjectId;
    emit('provenance', [idOf('prv', seed, provenanceSeq++), sourceId, excerpt, start, start + excerpt.length, ...subjects], stamp);
  };
  const SUBJECT = { actor: 0, event: 1, participant: 2, statement: 3, casualty: 4 } as const;

  // ---- actors: per country a state, its government, ministries, forces, a spokesperson,
  // a local newspaper, and armed groups whose number and activity are skewed.
  const registryStamp = day(0);
  const internationals: ActorInfo[] = [
    { id: idOf('act', seed, 0), name: 'United Nations' },
    { id: idOf('act', seed, 1), name: 'International Crisis Monitor' },
    { id: idOf('act', seed, 2), name: 'Global Wire Service' },
  ];
  let actorSeq = internationals.length;
  const countries: CountryWorld[] = [];
  const groupTotal = Math.max(SYNTHETIC_COUNTRIES.length * 2, Math.min(4000, Math.round(eventCount / 250)));
  const groupsPerCountry = zipf(SYNTHETIC_COUNTRIES.length, 1);
  const groupCounts = SYNTHETIC_COUNTRIES.map(() => 1);
  for (let i = SYNTHETIC_COUNTRIES.length; i < groupTotal; i += 1) groupCounts[groupsPerCountry(rand())] += 1;

  for (const [ci, [iso, name]] of SYNTHETIC_COUNTRIES.entries()) {
    const sourceId = idOf('src', seed, ci);
    const rows: { actor: Cell[]; name: string; aliases: string[] }[] = [];
    const actor = (kind: string, actorName: string, parent: ActorInfo | null, title: string | null, aliases: string[] = []) => {
      const info = { id: idOf('act', seed, actorSeq++), name: actorName };
      rows.push({ actor: [info.id, actorName, kind, iso, parent?.id ?? null, title, null], name: actorName, aliases });
      return info;
    };
    const state = actor('state', name, null, null);
    const government = actor('government', `Government of ${name}`, state, null, [`${name} authorities`]);
    const ministry = actor('ministry', `${name} Ministry of Interior`, government, null);
    const spokesperson = actor('person', `${placeName(rand, 2)} ${placeName(rand, 3)}`, ministry, 'Spokesperson');
    const armedForces = actor('armed_forces', `Military Forces of ${name}`, government, null, [`${name} army`]);
    const police = actor('armed_forces', `Police Forces of ${name}`, ministry, null);
    const media = actor('media', `${name} Daily News`, null, null);
    const groups: ActorInfo[] = [];
    for (let g = 0; g < groupCounts[ci]; g += 1) {
      const groupName = `${placeName(rand, 2)} ${['Liberation Front', 'Militia', 'Brigade', 'Movement', 'Communal Militia'][g % 5]}`;
      groups.push(actor('armed_group', groupName, null, null, g % 3 === 0 ? [groupName.split(' ')[0]] : []));
    }
    if (ci === 0) {
      for (const info of internationals) {
        rows.push({ actor: [info.id, info.name, info.name === 'United Nations' ? 'intergovernmental_org' : 'media', null, null, null, null], name: info.name, aliases: [] });
      }
    }
    // The country's actor registry: one source naming every actor, each name an excerpt.
    const text = `Actor registry for ${name}. ${rows.map((r) => `${r.name}.`).join(' ')}`;
    emit('sources', [sourceId, `Actor registry: ${name}`, 'Synthetic Registry', `https://synthetic.invalid/registry/${iso.toLowerCase()}`, null, 'en', registryStamp, 'report', null, 'synthetic', text], registryStamp);
    let cursor = 0;
    for (const row of rows) {
      emit('actors', row.actor, registryStamp);
      for (const alias of row.aliases) emit('actor_aliases', [idOf('als', seed, linkSeq++), row.actor[0] as string, alias], registryStamp);
      provenance(sourceId, text, `${row.name}.`, cursor, SUBJECT.actor, row.actor[0] as string, registryStamp);
      cursor = text.indexOf(`${row.name}.`, cursor) + row.name.length;
    }
    const places: Place[] = [];
    const baseLat = -30 + rand() * 80;
    const baseLon = -100 + rand() * 200;
    for (let a = 0; a < 12; a += 1) {
      const admin1 = `${placeName(rand, 2)} Province`;
      for (let p = 0; p < 25; p += 1) {
        places.push({
          admin1,
          admin2: `${placeName(rand, 2)} District`,
          location: placeName(rand, 2 + (p % 2)),
          lat: Math.round((baseLat + rand() * 6) * 10_000) / 10_000,
          lon: Math.round((baseLon + rand() * 6) * 10_000) / 10_000,
        });
      }
    }
    countries.push({
      iso, name, places, pickPlace: zipf(places.length, 0.8), state, government, armedForces, police, spokesperson, media, groups,
      pickGroup: zipf(groups.length, 1.1),
    });
  }

  // ---- events, in blocks reported by one source each.
  const pickCountry = zipf(countries.length, 1.1);
  let sourceSeq = SYNTHETIC_COUNTRIES.length;
  for (let first = 0; first < eventCount; first += EVENTS_PER_SOURCE) {
    const block = Math.min(EVENTS_PER_SOURCE, eventCount - first);
    const sourceId = idOf('src', seed, sourceSeq++);
    const pending: (() => void)[] = [];
    const parts: string[] = [];
    let length = 0;
    let latest = '1996-01-01';
    const write = (sentence: string) => {
      const at = length;
      parts.push(sentence);
      length += sentence.length + 1;
      return at;
    };
    let text = '';
    for (let k = 0; k < block; k += 1) {
      const n = first + k;
      const eventId = idOf('evt', seed, n);
      const world = countries[pickCountry(rand())];
      const place = world.places[world.pickPlace(rand())];
      // Denser lately: the square root of a uniform number skews towards the end.
      const start = day(Math.floor(Math.sqrt(rand()) * DAYS));
      const long = rand() < 0.1;
      const end = long ? addDays(start, 1 + Math.floor(rand() * 20)) : start;
      if (end > latest) latest = end;
      const typeRoll = rand();
      let acc = 0;
      let typeIndex = 5;
      for (const [index, weight] of EVENT_TYPE_WEIGHTS) {
        acc += weight;
        if (typeRoll < acc) {
          typeIndex = index;
          break;
        }
      }
      const taxonomy = EVENT_TAXONOMY[typeIndex];
      const subType = taxonomy.sub_event_types[Math.floor(rand() * taxonomy.sub_event_types.length)];
      const violent = VIOLENT_TYPES.has(taxonomy.event_type);
      const group = world.groups[world.pickGroup(rand())];
      const state = rand() < 0.7 ? world.armedForces : world.police;
      const sides: [ActorInfo, string][] = rand() < 0.5 ? [[state, 'side_a'], [group, 'side_b']] : [[group, 'side_a'], [state, 'side_b']];
      if (rand() < 0.4) {
        const other = world.groups[world.pickGroup(rand())];
        if (other.id !== group.id) sides.push([other, 'participant']);
        else sides.push([world.government, 'participant']);
      }
      const verb = violent ? 'clashed with' : 'confronted';
      const title = `${subType} in ${place.location}, ${place.admin1}`;
      const also = sides.length > 2 ? ` ${sides[2][0].name} also took part.` : '';
      const sentence = `On ${start}, ${sides[0][0].name} ${verb} ${sides[1][0].name} near ${place.location} in ${place.admin1}, ${world.name}.${also}`;
      const eventAt = write(sentence);
      const stamp = addDays(end, 1);
      pending.push(() => {
        emit('events', [
          eventId, title, taxonomy.event_type, subType, start, end, long ? 'range' : 'day', null, world.iso, place.admin1, place.admin2,
          place.location, place.lat, place.lon, 'locality', sentence, null, null, null,
        ], stamp);
        provenance(sourceId, text, sentence, eventAt, SUBJECT.event, eventId, stamp);
        for (const [actor, role] of sides) {
          const participantId = idOf('par', seed, participantSeq++);
          emit('event_participants', [participantId, eventId, actor.id, role, null], stamp);
          provenance(sourceId, text, actor.name, eventAt, SUBJECT.participant, participantId, stamp);
        }
      });
      let statementId: string | null = null;
      if (rand() < 0.15) {
        statementId = idOf('stm', seed, statementSeq++);
        const kind = STATEMENT_KINDS[Math.floor(rand() * STATEMENT_KINDS.length)];
        const target = sides[0][0].id === state.id ? sides[1][0] : sides[0][0];
        const quote = `${target.name} bears responsibility for the violence near ${place.location}.`;
        const said = `${world.spokesperson.name} said: "${quote}"`;
        const saidAt = write(said);
        const id = statementId;
        pending.push(() => {
          emit('statements', [
            id, kind, `${world.spokesperson.name} blames ${target.name} for the events near ${place.location}`, quote, end, 'day', null,
            world.spokesperson.id, world.government.id, 'stated', null,
          ], stamp);
          emit('statement_targets', [idOf('tgt', seed, linkSeq++), id, target.id], stamp);
          emit('statement_events', [idOf('sev', seed, linkSeq++), id, eventId], stamp);
          provenance(sourceId, text, said, saidAt, SUBJECT.statement, id, stamp);
        });
      }
      if (violent && rand() < 0.7) {
        const reporters = [world.media, internationals[Math.floor(rand() * internationals.length)], world.government];
        const reports = 1 + Math.floor(rand() * 3);
        const category = CATEGORIES[Math.floor(rand() * CATEGORIES.length)];
        const killed = Math.floor(-Math.log(1 - rand()) * 4);
        for (let r = 0; r < reports; r += 1) {
          const reporter = reporters[r];
          // Reporters disagree: each gives its own figure around the same toll.
          const own = Math.max(0, killed + Math.floor((rand() - 0.5) * 4));
          const atLeast = rand() < 0.2;
          const injured = Math.floor(own * rand() * 2);
          const claim = `${reporter.name} reported ${atLeast ? 'at least ' : ''}${own} killed and ${injured} injured.`;
          const claimAt = write(claim);
          const casualtyId = idOf('cas', seed, casualtySeq++);
          const stmt = r === 2 ? statementId : null;
          pending.push(() => {
            emit('casualty_reports', [
              casualtyId, eventId, reporter.id, stmt, end, 'day', start, end, category, null, world.iso, own, atLeast ? null : own,
              injured, injured, atLeast ? 'at least' : null, null,
            ], stamp);
            provenance(sourceId, text, claim, claimAt, SUBJECT.casualty, casualtyId, stamp);
          });
        }
      }
    }
    text = parts.join(' ');
    const published = addDays(latest, 1 + Math.floor(rand() * 6));
    const publisher = `${['Conflict Digest', 'Regional Observer', 'Field Report'][sourceSeq % 3]}`;
    emit('sources', [
      sourceId, `${publisher} no. ${sourceSeq}`, publisher, `https://synthetic.invalid/${sourceId}`, null, 'en', published, 'news_article',
      null, 'synthetic', text,
    ], published);
    for (const run of pending) run();
    yield;
  }
  return counts;
}
