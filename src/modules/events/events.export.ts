import { joined, type Exporter } from '../../http/export.js';
import type { EventResource } from './events.schemas.js';

/** What the columns read of an event: a whole EventResource, or the summary exports scan. */
export type EventExportItem = Omit<EventResource, 'participants'> & { participants?: { role: string; actor: { name: string } }[] };

const actorsIn = (event: EventExportItem, role?: string) =>
  joined((event.participants ?? []).filter((p) => !role || p.role === role).map((p) => p.actor.name));

/** Events as flat rows (ACLED-like columns) and as points on a map. */
export const eventExporter: Exporter<EventExportItem> = {
  filename: 'events',
  columns: [
    'id', 'title', 'event_type', 'sub_event_type', 'start_date', 'end_date', 'date_precision', 'date_note',
    'country', 'admin1', 'admin2', 'location', 'latitude', 'longitude', 'geo_precision', 'status', 'parent_id', 'external_id',
    'actors', 'side_a', 'side_b', 'description', 'notes', 'source_id', 'source_url', 'source_excerpt',
    'version', 'created_at', 'updated_at',
  ],
  flatten: (e) => ({
    id: e.id,
    title: e.title,
    event_type: e.event_type,
    sub_event_type: e.sub_event_type,
    start_date: e.start_date,
    end_date: e.end_date,
    date_precision: e.date_precision,
    date_note: e.date_note,
    country: e.country,
    admin1: e.admin1,
    admin2: e.admin2,
    location: e.location,
    latitude: e.latitude,
    longitude: e.longitude,
    geo_precision: e.geo_precision,
    status: e.status,
    parent_id: e.parent_id,
    external_id: e.external_id,
    actors: actorsIn(e),
    side_a: actorsIn(e, 'side_a'),
    side_b: actorsIn(e, 'side_b'),
    description: e.description,
    notes: e.notes,
    source_id: e.sources[0]?.id ?? null,
    source_url: e.sources[0]?.url ?? null,
    source_excerpt: e.sources[0]?.excerpt ?? null,
    version: e.version,
    created_at: e.created_at,
    updated_at: e.updated_at,
  }),
  point: (e) => (e.latitude !== null && e.longitude !== null ? [e.longitude, e.latitude] : null),
};
