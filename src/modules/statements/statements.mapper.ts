import { toSourceRefs } from '../provenance/provenance.service.js';
import type { StatementRow } from './statements.repository.js';
import type { StatementResource } from './statements.schemas.js';

export function toStatementResource(row: StatementRow): StatementResource {
  return {
    id: row.id,
    kind: row.kind as StatementResource['kind'],
    summary: row.summary,
    quote: row.quote,
    said_on: row.saidOn,
    said_on_precision: row.saidOnPrecision as StatementResource['said_on_precision'],
    date_note: row.dateNote,
    speaker: row.speaker,
    on_behalf_of: row.onBehalfOf,
    attribution: row.attribution as StatementResource['attribution'],
    attribution_note: row.attributionNote,
    targets: row.targets.map((t) => t.actor),
    events: row.events.map((e) => e.event),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    version: row.version,
    sources: toSourceRefs(row.provenance),
  };
}
