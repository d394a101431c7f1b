import { InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { PageRequest } from '../../http/pagination.js';
import type { InTransaction, Repositories } from '../../services.js';
import type { CasualtyReportsService } from '../casualty-reports/casualty-reports.service.js';
import type { EventsService } from '../events/events.service.js';
import {
  checkVersion,
  mergePatch,
  recordRevision,
  refuseExisting,
  refuseIfReferenced,
  requireLive,
  validateWhole,
  withoutNulls,
  type WriteContext,
} from '../revisions/record-writes.js';
import type { StatementsService } from '../statements/statements.service.js';
import type { SourceFilter, SourceRow } from './sources.repository.js';
import { CreateSourceInput, type SourceInclude, type SourceResource } from './sources.schemas.js';

export interface SourcesDeps {
  repos: Repositories;
  inTransaction: InTransaction;
  events: Pick<EventsService, 'list'>;
  statements: Pick<StatementsService, 'findAll'>;
  casualtyReports: Pick<CasualtyReportsService, 'forSource'>;
}

const RESOURCE = 'source';

function toSourceResource(row: SourceRow): SourceResource {
  return {
    id: row.id,
    title: row.title,
    publisher: row.publisher,
    url: row.url,
    original_url: row.originalUrl,
    language: row.language,
    published_on: row.publishedOn,
    kind: row.kind as SourceResource['kind'],
    credit: row.credit,
    notes: row.notes,
    has_text: row.hasText,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    version: row.version,
    ...(row.text !== undefined ? { text: row.text } : {}),
  };
}

function dataOf(input: CreateSourceInput) {
  const parsed = CreateSourceInput.parse(input);
  return {
    title: parsed.title,
    publisher: parsed.publisher ?? null,
    url: parsed.url ?? null,
    originalUrl: parsed.original_url ?? null,
    language: parsed.language ?? null,
    publishedOn: parsed.published_on ?? null,
    kind: parsed.kind,
    credit: parsed.credit ?? null,
    notes: parsed.notes ?? null,
    text: parsed.text ?? null,
  };
}

export function createSourcesService(deps: SourcesDeps) {
  const { sources } = deps.repos;

  /** The source with its text: what a writer changes and what its history keeps. */
  async function snapshot(repos: Repositories, id: string): Promise<SourceResource> {
    const row = await requireLive(RESOURCE, id, () => repos.sources.findById(id, true), () => repos.sources.isTombstoned(id));
    return toSourceResource(row);
  }

  function toInput(source: SourceResource): Record<string, unknown> {
    const { id: _id, created_at: _c, updated_at: _u, version: _v, has_text: _h, ...fields } = source;
    return withoutNulls(fields);
  }

  return {
    async list(filter: SourceFilter, page: PageRequest) {
      const result = await sources.list(filter, page);
      return { ...result, rows: result.rows.map(toSourceResource) };
    },

    async get(id: string, include: SourceInclude[] = []): Promise<SourceResource> {
      const wanted = new Set(include);
      const row = await requireLive(RESOURCE, id, () => sources.findById(id, wanted.has('text')), () => sources.isTombstoned(id));
      const source = toSourceResource(row);
      if (wanted.has('events')) {
        // Every event this source supports; a source rarely backs more than a few hundred.
        const page = await deps.events.list(
          { sourceId: id },
          { limit: 10_000, sort: [{ field: 'startDate', descending: false }, { field: 'id', descending: false }] },
        );
        source.events = page.rows.map((e) => ({ id: e.id, title: e.title }));
      }
      if (wanted.has('statements')) source.statements = await deps.statements.findAll({ sourceId: id });
      if (wanted.has('casualty_reports')) source.casualty_reports = await deps.casualtyReports.forSource(id);
      return source;
    },

    exists: sources.exists,

    async create(input: CreateSourceInput, context: WriteContext): Promise<SourceResource> {
      return deps.inTransaction(async (repos) => {
        const id = input.id ?? newId('src');
        refuseExisting(RESOURCE, id, (await repos.sources.exists([id])).has(id) || (await repos.sources.isTombstoned(id)));
        await repos.sources.insert(id, dataOf(input));
        const after = await snapshot(repos, id);
        await recordRevision(repos.revisions, 'sources', id, context, null, after);
        return after;
      });
    },

    /** A new text must still hold every excerpt that cites the source. */
    async update(id: string, patch: Record<string, unknown>, context: WriteContext): Promise<SourceResource> {
      return deps.inTransaction(async (repos) => {
        const before = await snapshot(repos, id);
        checkVersion(RESOURCE, id, before.version, context);
        const input = validateWhole(CreateSourceInput, mergePatch(toInput(before), patch), RESOURCE);
        if ('text' in patch && input.text !== before.text) {
          const lost = (await repos.sources.citations(id)).filter((c) => !input.text || !input.text.includes(c.excerpt));
          if (lost.length > 0) {
            throw new InvalidInputError(`The new text drops ${lost.length} passage(s) that records cite.`, [
              { path: 'body.text', message: `no longer contains the cited passage "${lost[0].excerpt.slice(0, 80)}"` },
            ]);
          }
        }
        if (!(await repos.sources.update(id, before.version, dataOf(input)))) throw new NotFoundError(RESOURCE, id);
        const after = await snapshot(repos, id);
        await recordRevision(repos.revisions, 'sources', id, context, before, after);
        return after;
      });
    },

    /** Deletes (tombstones) a source no live record cites. */
    async remove(id: string, context: WriteContext): Promise<void> {
      await deps.inTransaction(async (repos) => {
        const before = await snapshot(repos, id);
        checkVersion(RESOURCE, id, before.version, context);
        refuseIfReferenced(RESOURCE, id, { citations: (await repos.sources.citations(id)).length });
        await repos.sources.tombstone(id, before.version);
        await recordRevision(repos.revisions, 'sources', id, context, before, null);
      });
    },
  };
}

export type SourcesService = ReturnType<typeof createSourcesService>;
