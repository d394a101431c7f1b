import { InvalidInputError, type FieldError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { PageRequest } from '../../http/pagination.js';
import type { InTransaction, Repositories } from '../../services.js';
import { createProvenanceService } from '../provenance/provenance.service.js';
import { createRecordWrites, requireLive, sourcesInput, withoutNulls } from '../revisions/record-writes.js';
import type { CasualtyReportFilter } from './casualty-reports.repository.js';
import { toCasualtyReportResource } from './casualty-reports.mapper.js';
import { CreateCasualtyReportInput, type CasualtyReportResource } from './casualty-reports.schemas.js';

export interface CasualtyReportsDeps {
  repos: Repositories;
  inTransaction: InTransaction;
}

const RESOURCE = 'casualty report';

export function createCasualtyReportsService(deps: CasualtyReportsDeps) {
  const { casualtyReports, events } = deps.repos;

  async function expandEvents(filter: CasualtyReportFilter, includeChildren: boolean): Promise<CasualtyReportFilter> {
    if (!includeChildren || !filter.events) return filter;
    const trees = await Promise.all(filter.events.map((id) => events.subtreeIds(id)));
    return { ...filter, events: [...new Set(trees.flat())] };
  }

  async function snapshot(repos: Repositories, id: string): Promise<CasualtyReportResource> {
    const row = await requireLive(RESOURCE, id, () => repos.casualtyReports.findById(id), () => repos.casualtyReports.isTombstoned(id));
    return toCasualtyReportResource(row);
  }

  function toInput(report: CasualtyReportResource): Record<string, unknown> {
    return withoutNulls({
      event_id: report.event.id,
      reported_by_id: report.reported_by?.id,
      statement_id: report.statement_id,
      reported_on: report.reported_on,
      reported_on_precision: report.reported_on_precision,
      period_start: report.period_start,
      period_end: report.period_end,
      category: report.category,
      affected_actor_id: report.affected_actor?.id,
      affected_country: report.affected_country,
      killed: report.killed,
      injured: report.injured,
      qualifier: report.qualifier,
      notes: report.notes,
      sources: sourcesInput(report.sources),
    });
  }

  async function prepare(repos: Repositories, id: string, input: CreateCasualtyReportInput) {
    const errors: FieldError[] = [];
    if (!(await repos.events.exists([input.event_id])).has(input.event_id)) {
      errors.push({ path: 'body.event_id', message: `no event has the id "${input.event_id}"` });
    }
    const actorRefs = [
      ['reported_by_id', input.reported_by_id],
      ['affected_actor_id', input.affected_actor_id],
    ] as const;
    const knownActors = await repos.actors.exists(actorRefs.flatMap(([, actorId]) => (actorId ? [actorId] : [])));
    for (const [field, actorId] of actorRefs) {
      if (actorId && !knownActors.has(actorId)) errors.push({ path: `body.${field}`, message: `no actor has the id "${actorId}"` });
    }
    if (input.statement_id && !(await repos.statements.exists([input.statement_id])).has(input.statement_id)) {
      errors.push({ path: 'body.statement_id', message: `no statement has the id "${input.statement_id}"` });
    }
    if (errors.length > 0) throw new InvalidInputError('The casualty report refers to records that do not exist.', errors);
    return {
      provenance: await createProvenanceService(repos.provenance).resolve(id, input.sources, 'body.sources'),
      data: {
        eventId: input.event_id,
        reportedById: input.reported_by_id ?? null,
        statementId: input.statement_id ?? null,
        reportedOn: input.reported_on ?? null,
        reportedOnPrecision: input.reported_on_precision ?? null,
        periodStart: input.period_start,
        periodEnd: input.period_end,
        category: input.category,
        affectedActorId: input.affected_actor_id ?? null,
        affectedCountry: input.affected_country ?? null,
        killedMin: input.killed?.min ?? null,
        killedMax: input.killed?.max ?? null,
        injuredMin: input.injured?.min ?? null,
        injuredMax: input.injured?.max ?? null,
        qualifier: input.qualifier ?? null,
        notes: input.notes ?? null,
      },
    };
  }

  const writes = createRecordWrites({
    label: RESOURCE,
    feed: 'casualty-reports',
    newId: () => newId('cas'),
    inTransaction: deps.inTransaction,
    snapshot,
    toInput,
    schema: CreateCasualtyReportInput,
    prepare,
    revisions: (repos) => repos.revisions,
    taken: (repos, id) => repos.casualtyReports.idInUse(id),
    insert: (repos, id, prepared) => repos.casualtyReports.insert({ id, ...prepared }),
    async update(repos, id, version, prepared, patch) {
      if (!(await repos.casualtyReports.update(id, version, prepared.data))) return false;
      if ('sources' in patch) await repos.casualtyReports.replaceProvenance(id, prepared.provenance);
      return true;
    },
    tombstone: (repos, id, version) => repos.casualtyReports.tombstone(id, version),
  });

  return {
    async list(filter: CasualtyReportFilter, includeChildren: boolean, page: PageRequest) {
      const result = await casualtyReports.list(await expandEvents(filter, includeChildren), page);
      return { ...result, rows: result.rows.map(toCasualtyReportResource) };
    },

    get: (id: string) => snapshot(deps.repos, id),

    exists: casualtyReports.exists,

    /** Every report on these events, for embedding (bounded by the events' own page). */
    async forEvents(eventIds: string[]): Promise<CasualtyReportResource[]> {
      return (await casualtyReports.ofEvents(eventIds)).map(toCasualtyReportResource);
    },

    async forSource(sourceId: string): Promise<CasualtyReportResource[]> {
      return (await casualtyReports.findAll({ sourceId })).map(toCasualtyReportResource);
    },

    /** Reporters revise their figures: the history keeps the old and the new ones. */
    ...writes,
  };
}

export type CasualtyReportsService = ReturnType<typeof createCasualtyReportsService>;
