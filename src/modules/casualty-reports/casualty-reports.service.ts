import { InvalidInputError, NotFoundError, type FieldError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { PageRequest } from '../../http/pagination.js';
import type { ProvenanceService } from '../provenance/provenance.service.js';
import type { CasualtyReportFilter, CasualtyReportsRepository } from './casualty-reports.repository.js';
import { toCasualtyReportResource } from './casualty-reports.mapper.js';
import type { CreateCasualtyReportInput, CasualtyReportResource } from './casualty-reports.schemas.js';

export interface CasualtyReportsDeps {
  casualtyReports: CasualtyReportsRepository;
  events: { exists(ids: string[]): Promise<Set<string>>; subtreeIds(id: string): Promise<string[]> };
  actors: { exists(ids: string[]): Promise<Set<string>> };
  statements: { exists(ids: string[]): Promise<Set<string>> };
  provenance: Pick<ProvenanceService, 'resolve'>;
}

export function createCasualtyReportsService(deps: CasualtyReportsDeps) {
  const { casualtyReports } = deps;

  async function expandEvents(filter: CasualtyReportFilter, includeChildren: boolean): Promise<CasualtyReportFilter> {
    if (!includeChildren || !filter.events) return filter;
    const trees = await Promise.all(filter.events.map((id) => deps.events.subtreeIds(id)));
    return { ...filter, events: [...new Set(trees.flat())] };
  }

  return {
    async list(filter: CasualtyReportFilter, includeChildren: boolean, page: PageRequest) {
      const result = await casualtyReports.list(await expandEvents(filter, includeChildren), page);
      return { ...result, rows: result.rows.map(toCasualtyReportResource) };
    },

    exists: casualtyReports.exists,

    async get(id: string): Promise<CasualtyReportResource> {
      const row = await casualtyReports.findById(id);
      if (!row) throw new NotFoundError('casualty report', id);
      return toCasualtyReportResource(row);
    },

    /** Every report on these events, for embedding (bounded by the events' own page). */
    async forEvents(eventIds: string[]): Promise<CasualtyReportResource[]> {
      return (await casualtyReports.findAll({ events: eventIds })).map(toCasualtyReportResource);
    },

    async forSource(sourceId: string): Promise<CasualtyReportResource[]> {
      return (await casualtyReports.findAll({ sourceId })).map(toCasualtyReportResource);
    },

    async create(input: CreateCasualtyReportInput): Promise<string> {
      const errors: FieldError[] = [];
      if (!(await deps.events.exists([input.event_id])).has(input.event_id)) {
        errors.push({ path: 'body.event_id', message: `no event has the id "${input.event_id}"` });
      }
      const actorRefs = [
        ['reported_by_id', input.reported_by_id],
        ['affected_actor_id', input.affected_actor_id],
      ] as const;
      const knownActors = await deps.actors.exists(actorRefs.flatMap(([, id]) => (id ? [id] : [])));
      for (const [field, id] of actorRefs) {
        if (id && !knownActors.has(id)) errors.push({ path: `body.${field}`, message: `no actor has the id "${id}"` });
      }
      if (input.statement_id && !(await deps.statements.exists([input.statement_id])).has(input.statement_id)) {
        errors.push({ path: 'body.statement_id', message: `no statement has the id "${input.statement_id}"` });
      }
      if (errors.length > 0) throw new InvalidInputError('The casualty report refers to records that do not exist.', errors);

      const id = input.id ?? newId('cas');
      const provenance = await deps.provenance.resolve(id, input.sources, 'body.sources');
      await casualtyReports.create({
        id,
        provenance,
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
      });
      return id;
    },
  };
}

export type CasualtyReportsService = ReturnType<typeof createCasualtyReportsService>;
