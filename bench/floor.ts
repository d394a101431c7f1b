// The floor for S1 and S2: the least a server can do to answer the same requests with the
// same JSON on this machine. Fastify with no plugins, no validation, no ORM: prepared
// statements through the raw driver (better-sqlite3 or pg) and JSON.stringify. The
// benchmark reports the ledger's requests/s as a share of this server's.
//
//   DATABASE_URL=file:... PORT=3100 node --import tsx bench/floor.ts
import Fastify from 'fastify';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { providerOf, sqliteFilePath } from '../src/db/database-url.js';

type Row = Record<string, unknown>;
type Query = (name: string, text: string, values: unknown[]) => Promise<Row[]>;

const url = process.env.DATABASE_URL ?? 'file:./data/ledger.db';
const provider = providerOf(url);

function connect(): Query {
  if (provider === 'sqlite') {
    const db = new BetterSqlite3(sqliteFilePath(url), { readonly: true });
    db.pragma('journal_mode = WAL');
    const statements = new Map<string, BetterSqlite3.Statement>();
    return async (name, text, values) => {
      let statement = statements.get(name);
      if (!statement) {
        statement = db.prepare(text.replace(/\$\d+/g, '?'));
        statements.set(name, statement);
      }
      return statement.all(...values) as Row[];
    };
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  return async (name, text, values) => (await pool.query({ name, text, values })).rows;
}

const query = connect();
const iso = (value: unknown) => (value instanceof Date ? value : new Date(`${String(value).replace(' ', 'T').replace(/(\+00:00|Z)?$/, 'Z')}`)).toISOString();
const inList = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `$${i + from}`).join(', ');

const EVENT_COLUMNS =
  'id, title, event_type, sub_event_type, start_date, end_date, date_precision, date_note, country, admin1, admin2, location, latitude, longitude, geo_precision, description, notes, status, parent_id, external_id, created_at, updated_at, version';

function sourceRef(row: Row) {
  return { id: row.source_id, title: row.source_title, url: row.source_url, excerpt: row.excerpt, start_offset: row.start_offset, end_offset: row.end_offset };
}

/** Live provenance of the subjects in `ids` (column `column`), grouped by subject. */
async function provenanceOf(column: string, ids: string[]): Promise<Map<string, ReturnType<typeof sourceRef>[]>> {
  const grouped = new Map<string, ReturnType<typeof sourceRef>[]>();
  if (ids.length === 0) return grouped;
  const rows = await query(
    `prov_${column}_${ids.length}`,
    `SELECT p.${column} AS subject, p.excerpt, p.start_offset, p.end_offset, s.id AS source_id, s.title AS source_title, s.url AS source_url
       FROM provenance p JOIN sources s ON s.id = p.source_id
      WHERE p.${column} IN (${inList(ids.length)}) AND p.deleted_at IS NULL
      ORDER BY p.start_offset, p.id`,
    ids,
  );
  for (const row of rows) {
    const list = grouped.get(row.subject as string) ?? [];
    list.push(sourceRef(row));
    grouped.set(row.subject as string, list);
  }
  return grouped;
}

function eventOf(row: Row, sources: ReturnType<typeof sourceRef>[]) {
  return {
    id: row.id, title: row.title, event_type: row.event_type, sub_event_type: row.sub_event_type, start_date: row.start_date,
    end_date: row.end_date, date_precision: row.date_precision, date_note: row.date_note, country: row.country, admin1: row.admin1,
    admin2: row.admin2, location: row.location, latitude: row.latitude, longitude: row.longitude, geo_precision: row.geo_precision,
    description: row.description, notes: row.notes, status: row.status, parent_id: row.parent_id, external_id: row.external_id,
    created_at: iso(row.created_at), updated_at: iso(row.updated_at), version: row.version, sources,
  };
}

const app = Fastify({ logger: false });

// S1: /v1/events?country=C&from=F&to=T&limit=L, newest first, with the total.
app.get('/v1/events', async (request) => {
  const q = request.query as Record<string, string>;
  const limit = Number(q.limit ?? 50);
  const where = 'deleted_at IS NULL AND country = $1 AND end_date >= $2 AND start_date <= $3';
  const [rows, count] = await Promise.all([
    query('s1_page', `SELECT ${EVENT_COLUMNS} FROM events WHERE ${where} ORDER BY start_date DESC, id ASC LIMIT $4`, [q.country, q.from, q.to, limit + 1]),
    query('s1_count', `SELECT count(*) AS n FROM events WHERE ${where}`, [q.country, q.from, q.to]),
  ]);
  const page = rows.slice(0, limit);
  const sources = await provenanceOf('event_id', page.map((r) => r.id as string));
  const last = page[page.length - 1];
  const next = rows.length > limit && last ? Buffer.from(JSON.stringify({ s: '-startDate,id', v: [last.start_date, last.id] })).toString('base64url') : null;
  const nextUrl = new URL(request.url, 'http://ledger.invalid');
  if (next) nextUrl.searchParams.set('cursor', next);
  return {
    data: page.map((row) => eventOf(row, sources.get(row.id as string) ?? [])),
    meta: { limit, next_cursor: next, total: Number(count[0].n) },
    links: { self: request.url, next: next ? `${nextUrl.pathname}${nextUrl.search}` : null },
  };
});

// S2: /v1/events/:id?include=participants,casualty_reports,sources
app.get('/v1/events/:id', async (request, reply) => {
  const { id } = request.params as { id: string };
  const [rows, participants, reports] = await Promise.all([
    query('s2_event', `SELECT ${EVENT_COLUMNS} FROM events WHERE id = $1 AND deleted_at IS NULL`, [id]),
    query(
      's2_participants',
      `SELECT p.id, p.role, p.notes, a.id AS actor_id, a.name AS actor_name FROM event_participants p JOIN actors a ON a.id = p.actor_id
        WHERE p.event_id = $1 AND p.deleted_at IS NULL ORDER BY p.role, p.id`,
      [id],
    ),
    query(
      's2_reports',
      `SELECT c.*, e.title AS event_title, r.name AS reporter_name, x.name AS affected_name FROM casualty_reports c
         JOIN events e ON e.id = c.event_id LEFT JOIN actors r ON r.id = c.reported_by_id LEFT JOIN actors x ON x.id = c.affected_actor_id
        WHERE c.event_id = $1 AND c.deleted_at IS NULL ORDER BY c.period_start, c.id`,
      [id],
    ),
  ]);
  if (rows.length === 0) return reply.code(404).send({ status: 404 });
  const [eventSources, participantSources, reportSources] = await Promise.all([
    provenanceOf('event_id', [id]),
    provenanceOf('participant_id', participants.map((p) => p.id as string)),
    provenanceOf('casualty_report_id', reports.map((r) => r.id as string)),
  ]);
  const figure = (min: unknown, max: unknown) => (min === null && max === null ? null : { min, max });
  return {
    ...eventOf(rows[0], eventSources.get(id) ?? []),
    participants: participants.map((p) => ({
      id: p.id, actor: { id: p.actor_id, name: p.actor_name }, role: p.role, notes: p.notes, sources: participantSources.get(p.id as string) ?? [],
    })),
    casualty_reports: reports.map((c) => ({
      id: c.id, event: { id: c.event_id, title: c.event_title },
      reported_by: c.reported_by_id === null ? null : { id: c.reported_by_id, name: c.reporter_name },
      statement_id: c.statement_id, reported_on: c.reported_on, reported_on_precision: c.reported_on_precision,
      period_start: c.period_start, period_end: c.period_end, category: c.category,
      affected_actor: c.affected_actor_id === null ? null : { id: c.affected_actor_id, name: c.affected_name },
      affected_country: c.affected_country, killed: figure(c.killed_min, c.killed_max), injured: figure(c.injured_min, c.injured_max),
      qualifier: c.qualifier, notes: c.notes, created_at: iso(c.created_at), updated_at: iso(c.updated_at), version: c.version,
      sources: reportSources.get(c.id as string) ?? [],
    })),
  };
});

app.get('/readyz', async () => ({ status: 'ok' }));

await app.listen({ port: Number(process.env.PORT ?? 3100), host: '127.0.0.1' });
