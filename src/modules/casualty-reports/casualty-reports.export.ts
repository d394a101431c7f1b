import type { Exporter } from '../../http/export.js';
import type { CasualtyReportResource } from './casualty-reports.schemas.js';

/** One row per reported figure: never a total (figures from different reporters overlap). */
export const casualtyReportExporter: Exporter<CasualtyReportResource> = {
  filename: 'casualty-reports',
  columns: [
    'id', 'event_id', 'event', 'reported_by_id', 'reported_by', 'statement_id', 'reported_on', 'reported_on_precision',
    'period_start', 'period_end', 'category', 'affected_actor_id', 'affected_actor', 'affected_country',
    'killed_min', 'killed_max', 'injured_min', 'injured_max', 'qualifier', 'notes', 'source_id', 'source_url',
    'source_excerpt', 'version', 'created_at', 'updated_at',
  ],
  flatten: (r) => ({
    id: r.id,
    event_id: r.event.id,
    event: r.event.title,
    reported_by_id: r.reported_by?.id ?? null,
    reported_by: r.reported_by?.name ?? null,
    statement_id: r.statement_id,
    reported_on: r.reported_on,
    reported_on_precision: r.reported_on_precision,
    period_start: r.period_start,
    period_end: r.period_end,
    category: r.category,
    affected_actor_id: r.affected_actor?.id ?? null,
    affected_actor: r.affected_actor?.name ?? null,
    affected_country: r.affected_country,
    killed_min: r.killed?.min ?? null,
    killed_max: r.killed?.max ?? null,
    injured_min: r.injured?.min ?? null,
    injured_max: r.injured?.max ?? null,
    qualifier: r.qualifier,
    notes: r.notes,
    source_id: r.sources[0]?.id ?? null,
    source_url: r.sources[0]?.url ?? null,
    source_excerpt: r.sources[0]?.excerpt ?? null,
    version: r.version,
    created_at: r.created_at,
    updated_at: r.updated_at,
  }),
};
