import type { z } from 'zod';
import { InvalidInputError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { PageRequest } from '../../http/pagination.js';
import type { InTransaction, Repositories } from '../../services.js';
import type { CasualtyReportsService } from '../casualty-reports/casualty-reports.service.js';
import type { EventsService } from '../events/events.service.js';
import { createRecordWrites, requireLive, withoutNulls } from '../revisions/record-writes.js';
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

export function toSourceResource(row: SourceRow): SourceResource {
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

function dataOf(parsed: z.output<typeof CreateSourceInput>) {
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

  const writes = createRecordWrites({
    label: RESOURCE,
    feed: 'sources',
    newId: () => newId('src'),
    inTransaction: deps.inTransaction,
    snapshot,
    toInput,
    schema: CreateSourceInput,
    prepare: async (_repos, _id, input) => dataOf(input),
    revisions: (repos) => repos.revisions,
    taken: (repos, id) => repos.sources.idInUse(id),
    insert: (repos, id, data) => repos.sources.insert(id, data),
    async update(repos, id, version, data, _patch, before) {
      if (data.text !== (before.text ?? null)) {
        const lost = (await repos.sources.citations(id)).filter((c) => !data.text || !data.text.includes(c.excerpt));
        if (lost.length > 0) {
          throw new InvalidInputError(`The new text drops ${lost.length} passage(s) that records cite.`, [
            { path: 'body.text', message: `no longer contains the cited passage "${lost[0].excerpt.slice(0, 80)}"` },
          ]);
        }
      }
      return repos.sources.update(id, version, data);
    },
    tombstone: (repos, id, version) => repos.sources.tombstone(id, version),
    referrers: async (repos, id) => ({ citations: (await repos.sources.citations(id)).length }),
  });

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

    /** A new text must still hold every excerpt that cites the source. */
    ...writes,
  };
}

export type SourcesService = ReturnType<typeof createSourcesService>;
