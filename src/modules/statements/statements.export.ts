import { joined, type Exporter } from '../../http/export.js';
import type { StatementResource } from './statements.schemas.js';

export const statementExporter: Exporter<StatementResource> = {
  filename: 'statements',
  columns: [
    'id', 'kind', 'summary', 'quote', 'said_on', 'said_on_precision', 'date_note', 'speaker_id', 'speaker',
    'on_behalf_of_id', 'on_behalf_of', 'attribution', 'attribution_note', 'target_ids', 'targets', 'event_ids',
    'source_id', 'source_url', 'source_excerpt', 'version', 'created_at', 'updated_at',
  ],
  flatten: (s) => ({
    id: s.id,
    kind: s.kind,
    summary: s.summary,
    quote: s.quote,
    said_on: s.said_on,
    said_on_precision: s.said_on_precision,
    date_note: s.date_note,
    speaker_id: s.speaker?.id ?? null,
    speaker: s.speaker?.name ?? null,
    on_behalf_of_id: s.on_behalf_of?.id ?? null,
    on_behalf_of: s.on_behalf_of?.name ?? null,
    attribution: s.attribution,
    attribution_note: s.attribution_note,
    target_ids: joined(s.targets.map((t) => t.id)),
    targets: joined(s.targets.map((t) => t.name)),
    event_ids: joined(s.events.map((e) => e.id)),
    source_id: s.sources[0]?.id ?? null,
    source_url: s.sources[0]?.url ?? null,
    source_excerpt: s.sources[0]?.excerpt ?? null,
    version: s.version,
    created_at: s.created_at,
    updated_at: s.updated_at,
  }),
};
