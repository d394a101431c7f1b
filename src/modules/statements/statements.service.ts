import { InvalidInputError, type FieldError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { PageRequest } from '../../http/pagination.js';
import type { InTransaction, Repositories } from '../../services.js';
import { createProvenanceService } from '../provenance/provenance.service.js';
import { createRecordWrites, requireLive, sourcesInput, withoutNulls } from '../revisions/record-writes.js';
import type { StatementFilter } from './statements.repository.js';
import { toStatementResource } from './statements.mapper.js';
import { CreateStatementInput, type StatementResource } from './statements.schemas.js';

export interface StatementsDeps {
  repos: Repositories;
  inTransaction: InTransaction;
}

const RESOURCE = 'statement';

export function createStatementsService(deps: StatementsDeps) {
  const { statements } = deps.repos;

  async function snapshot(repos: Repositories, id: string): Promise<StatementResource> {
    const row = await requireLive(RESOURCE, id, () => repos.statements.findById(id), () => repos.statements.isTombstoned(id));
    return toStatementResource(row);
  }

  function toInput(statement: StatementResource): Record<string, unknown> {
    return withoutNulls({
      kind: statement.kind,
      summary: statement.summary,
      quote: statement.quote,
      said_on: statement.said_on,
      said_on_precision: statement.said_on_precision,
      date_note: statement.date_note,
      speaker_id: statement.speaker?.id,
      on_behalf_of_id: statement.on_behalf_of?.id,
      attribution: statement.attribution,
      attribution_note: statement.attribution_note,
      target_ids: statement.targets.map((t) => t.id),
      event_ids: statement.events.map((e) => e.id),
      sources: sourcesInput(statement.sources),
    });
  }

  async function prepare(repos: Repositories, id: string, input: CreateStatementInput) {
    const errors: FieldError[] = [];
    const actorRefs: [string, string][] = [
      ...(input.speaker_id ? [['body.speaker_id', input.speaker_id] as [string, string]] : []),
      ...(input.on_behalf_of_id ? [['body.on_behalf_of_id', input.on_behalf_of_id] as [string, string]] : []),
      ...(input.target_ids ?? []).map((actorId, i) => [`body.target_ids.${i}`, actorId] as [string, string]),
    ];
    const knownActors = await repos.actors.exists(actorRefs.map(([, actorId]) => actorId));
    for (const [path, actorId] of actorRefs) {
      if (!knownActors.has(actorId)) errors.push({ path, message: `no actor has the id "${actorId}"` });
    }
    const eventIds = input.event_ids ?? [];
    const knownEvents = await repos.events.exists(eventIds);
    eventIds.forEach((eventId, i) => {
      if (!knownEvents.has(eventId)) errors.push({ path: `body.event_ids.${i}`, message: `no event has the id "${eventId}"` });
    });
    if (errors.length > 0) throw new InvalidInputError('The statement refers to records that do not exist.', errors);

    const provenance = await createProvenanceService(repos.provenance).resolve(id, input.sources, 'body.sources');
    // A quote is the source's own words: it must stand in one of the cited passages.
    if (input.quote && !provenance.some((link) => link.excerpt.includes(input.quote!))) {
      throw new InvalidInputError('The quote is not in any cited passage.', [
        { path: 'body.quote', message: 'must be verbatim text of one of the excerpts in `sources`' },
      ]);
    }
    return {
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
    };
  }

  const writes = createRecordWrites({
    label: RESOURCE,
    feed: 'statements',
    newId: () => newId('stm'),
    inTransaction: deps.inTransaction,
    snapshot,
    toInput,
    schema: CreateStatementInput,
    prepare,
    revisions: (repos) => repos.revisions,
    taken: (repos, id) => repos.statements.idInUse(id),
    insert: (repos, id, prepared) => repos.statements.insert({ id, ...prepared }),
    async update(repos, id, version, prepared, patch) {
      if (!(await repos.statements.update(id, version, prepared.data))) return false;
      await repos.statements.replaceLinks(id, prepared.targetIds, prepared.eventIds);
      if ('sources' in patch) await repos.statements.replaceProvenance(id, prepared.provenance);
      return true;
    },
    tombstone: (repos, id, version) => repos.statements.tombstone(id, version),
    referrers: (repos, id) => repos.statements.referrers(id),
  });

  return {
    async list(filter: StatementFilter, page: PageRequest) {
      const result = await statements.list(filter, page);
      return { ...result, rows: result.rows.map(toStatementResource) };
    },

    get: (id: string) => snapshot(deps.repos, id),

    exists: statements.exists,

    async findAll(filter: StatementFilter): Promise<StatementResource[]> {
      return (await statements.findAll(filter)).map(toStatementResource);
    },

    ...writes,
  };
}

export type StatementsService = ReturnType<typeof createStatementsService>;
