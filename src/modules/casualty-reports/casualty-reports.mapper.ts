import { toSourceRefs } from '../provenance/provenance.service.js';
import type { CasualtyReportRow } from './casualty-reports.repository.js';
import type { CasualtyReportResource } from './casualty-reports.schemas.js';

function figure(min: number | null, max: number | null) {
  return min === null && max === null ? null : { min, max };
}

export function toCasualtyReportResource(row: CasualtyReportRow): CasualtyReportResource {
  return {
    id: row.id,
    event: row.event,
    reported_by: row.reportedBy,
    statement_id: row.statementId,
    reported_on: row.reportedOn,
    reported_on_precision: row.reportedOnPrecision as CasualtyReportResource['reported_on_precision'],
    period_start: row.periodStart,
    period_end: row.periodEnd,
    category: row.category as CasualtyReportResource['category'],
    affected_actor: row.affectedActor,
    affected_country: row.affectedCountry,
    killed: figure(row.killedMin, row.killedMax),
    injured: figure(row.injuredMin, row.injuredMax),
    qualifier: row.qualifier,
    notes: row.notes,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    version: row.version,
    sources: toSourceRefs(row.provenance),
  };
}
