import { toSourceRefs } from '../provenance/provenance.service.js';
import type { EventResource } from './events.schemas.js';
import type { EventRow, ParticipantRow } from './events.repository.js';

type EventCore = Omit<EventResource, 'participants' | 'casualty_reports' | 'statements' | 'children'>;

export function toEventResource(row: EventRow): EventCore {
  return {
    id: row.id,
    title: row.title,
    event_type: row.eventType as EventResource['event_type'],
    sub_event_type: row.subEventType as EventResource['sub_event_type'],
    start_date: row.startDate,
    end_date: row.endDate,
    date_precision: row.datePrecision as EventResource['date_precision'],
    date_note: row.dateNote,
    country: row.country,
    admin1: row.admin1,
    admin2: row.admin2,
    location: row.location,
    latitude: row.latitude,
    longitude: row.longitude,
    geo_precision: row.geoPrecision as EventResource['geo_precision'],
    description: row.description,
    notes: row.notes,
    status: row.status as EventResource['status'],
    parent_id: row.parentId,
    external_id: row.externalId,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    version: row.version,
    sources: toSourceRefs(row.provenance),
  };
}

export function toParticipant(row: ParticipantRow) {
  return {
    id: row.id,
    actor: row.actor,
    role: row.role as NonNullable<EventResource['participants']>[number]['role'],
    notes: row.notes,
    sources: toSourceRefs(row.provenance),
  };
}
