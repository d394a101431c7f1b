import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { alpha3OfNumeric } from '../src/domain/iso-countries.js';
import { EVENT_TAXONOMY } from '../src/domain/taxonomy.js';
import { generateLedger, SYNTHETIC_COUNTRIES, type Cell } from '../src/synthetic/generator.js';

// The synthetic ledger's events as an ACLED export (the columns of ACLED's codebook), for
// S8: `npm run import` of N rows. Same seed, same file.

const HEADER = [
  'event_id_cnty', 'event_date', 'year', 'time_precision', 'disorder_type', 'event_type', 'sub_event_type', 'actor1', 'assoc_actor_1', 'inter1',
  'actor2', 'assoc_actor_2', 'inter2', 'interaction', 'civilian_targeting', 'iso', 'region', 'country', 'admin1', 'admin2', 'admin3', 'location',
  'latitude', 'longitude', 'geo_precision', 'source', 'source_scale', 'notes', 'fatalities', 'tags', 'timestamp',
];

function csvField(value: Cell): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function writeAcledCsv(file: string, { events, seed }: { events: number; seed: number }): Promise<void> {
  const numeric = new Map<string, number>();
  for (let n = 1; n < 1000; n += 1) {
    const alpha3 = alpha3OfNumeric(n);
    if (alpha3) numeric.set(alpha3, n);
  }
  const countryName = new Map(SYNTHETIC_COUNTRIES);
  const disorder = new Map<string, string>(EVENT_TAXONOMY.map((t) => [t.event_type, t.disorder_type]));
  const actors = new Map<string, { name: string; kind: string }>();
  const out = createWriteStream(file);
  let buffer = `${HEADER.join(',')}\n`;
  let current: { row: Cell[]; actors: string[]; fatalities: number | null } | null = null;
  let n = 0;

  const inter = (actorId: string) => {
    const kind = actors.get(actorId)?.kind;
    return kind === 'armed_forces' ? 'State forces' : kind === 'armed_group' ? 'Rebel group' : 'External/Other forces';
  };
  const flush = () => {
    if (!current) return;
    const e = current.row;
    const [id, , eventType, subType, start, , , , country, admin1, admin2, location, lat, lon, , description] = e as string[];
    const [a1, a2, a3] = current.actors;
    const fields: Cell[] = [
      `${country}${1_000_000 + n++}`, start, start.slice(0, 4), 1, disorder.get(eventType) ?? '', eventType, subType, actors.get(a1)?.name ?? '',
      a3 ? (actors.get(a3)?.name ?? '') : '', inter(a1), a2 ? (actors.get(a2)?.name ?? '') : '', '', a2 ? inter(a2) : '', '', '',
      numeric.get(country) ?? '', '', countryName.get(country) ?? '', admin1, admin2, '', location, lat, lon, 1,
      `Synthetic Wire (${id})`, 'National', description, current.fatalities ?? 0, '', 1_700_000_000,
    ];
    buffer += `${fields.map(csvField).join(',')}\n`;
    current = null;
  };

  const generation = generateLedger({ events, seed }, (table, row) => {
    if (table === 'actors') actors.set(row[0] as string, { name: row[1] as string, kind: row[2] as string });
    else if (table === 'events') {
      flush();
      current = { row, actors: [], fatalities: null };
    } else if (table === 'event_participants' && current) current.actors.push(row[2] as string);
    else if (table === 'casualty_reports' && current && current.fatalities === null) current.fatalities = row[11] as number;
  });
  let step = generation.next();
  while (!step.done) {
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
    step = generation.next();
  }
  flush();
  out.end(buffer);
  await once(out, 'finish');
}
