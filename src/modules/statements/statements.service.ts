import { InvalidInputError, NotFoundError, type FieldError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { PageRequest } from '../../http/pagination.js';
import type { ProvenanceService } from '../provenance/provenance.service.js';
import type { StatementFilter, StatementsRepository } from './statements.repository.js';
import { toStatementResource } from './statements.mapper.js';
import type { CreateStatementInput, StatementResource } from './statements.schemas.js';

export interface StatementsDeps {
  statements: StatementsRepository;
  actors: { exists(ids: string[]): Promise<Set<string>> };
  events: { exists(ids: string[]): Promise<Set<string>> };
  provenance: Pick<ProvenanceService, 'resolve'>;
}

export function createStatementsService(deps: StatementsDeps) {
  const { statements } = deps;
  return {
    async list(filter: StatementFilter, page: PageRequest) {
      const result = await statements.list(filter, page);
      return { ...result, rows: result.rows.map(toStatementResource) };
    },

    async get(id: string): Promise<StatementResource> {
      const row = await statements.findById(id);
      if (!row) throw new NotFoundError('statement', id);
      return toStatementResource(row);
    },

    exists: statements.exists,

    async findAll(filter: StatementFilter): Promise<StatementResource[]> {
      return (await statements.findAll(filter)).map(toStatementResource);
    },

    async create(input: CreateStatementInput): Promise<string> {
      const errors: FieldError[] = [];
      const actorRefs: [string, string][] = [
        ...(input.speaker_id ? [['body.speaker_id', input.speaker_id] as [string, string]] : []),
        ...(input.on_behalf_of_id ? [['body.on_behalf_of_id', input.on_behalf_of_id] as [string, string]] : []),
        ...(input.target_ids ?? []).map((id, i) => [`body.target_ids.${i}`, id] as [string, string]),
      ];
      const knownActors = await deps.actors.exists(actorRefs.map(([, id]) => id));
      for (const [path, id] of actorRefs) {
        if (!knownActors.has(id)) errors.push({ path, message: `no actor has the id "${id}"` });
      }
      const eventIds = input.event_ids ?? [];
      const knownEvents = await deps.events.exists(eventIds);
      eventIds.forEach((id, i) => {
        if (!knownEvents.has(id)) errors.push({ path: `body.event_ids.${i}`, message: `no event has the id "${id}"` });
      });
      if (errors.length > 0) throw new InvalidInputError('The statement refers to records that do not exist.', errors);

      const id = input.id ?? newId('stm');
      const provenance = await deps.provenance.resolve(id, input.sources, 'body.sources');
      // A quote is the source's own words: it must stand in one of the cited passages.
      if (input.quote && !provenance.some((link) => link.excerpt.includes(input.quote!))) {
        throw new InvalidInputError('The quote is not in any cited passage.', [
          { path: 'body.quote', message: 'must be verbatim text of one of the excerpts in `sources`' },
        ]);
      }
      await statements.create({
        id,
        provenance,
        targetIds: [...new Set(input.target_ids ?? [])],
        eventIds: [...new Set(eventIds)],
        data: {
          kind: input.kind,
          summary: input.summary,
          quote: input.quote ?? null,
          saidOn: input.said_on,
          saidOnPrecision: input.said_on_precision,
          dateNote: input.date_note ?? null,
          speakerId: input.speaker_id ?? null,
          onBehalfOfId: input.on_behalf_of_id ?? null,
          attribution: input.attribution,
          attributionNote: input.attribution_note ?? null,
        },
      });
      return id;
    },
  };
}

export type StatementsService = ReturnType<typeof createStatementsService>;
