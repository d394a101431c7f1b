import { NotFoundError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { PageRequest } from '../../http/pagination.js';
import type { CasualtyReportsService } from '../casualty-reports/casualty-reports.service.js';
import type { EventsService } from '../events/events.service.js';
import type { StatementsService } from '../statements/statements.service.js';
import type { SourceFilter, SourceRow, SourcesRepository } from './sources.repository.js';
import type { CreateSourceInput, SourceInclude, SourceResource } from './sources.schemas.js';
import { CreateSourceInput as CreateSourceSchema } from './sources.schemas.js';

export interface SourcesDeps {
  sources: SourcesRepository;
  events: Pick<EventsService, 'list'>;
  statements: Pick<StatementsService, 'findAll'>;
  casualtyReports: Pick<CasualtyReportsService, 'forSource'>;
}

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

export function createSourcesService(deps: SourcesDeps) {
  const { sources } = deps;
  return {
    async list(filter: SourceFilter, page: PageRequest) {
      const result = await sources.list(filter, page);
      return { ...result, rows: result.rows.map(toSourceResource) };
    },

    async get(id: string, include: SourceInclude[] = []): Promise<SourceResource> {
      const wanted = new Set(include);
      const row = await sources.findById(id, wanted.has('text'));
      if (!row) throw new NotFoundError('source', id);
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

    async create(input: CreateSourceInput): Promise<string> {
      const parsed = CreateSourceSchema.parse(input);
      const id = parsed.id ?? newId('src');
      await sources.create(id, {
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
      });
      return id;
    },

    exists: sources.exists,
  };
}

export type SourcesService = ReturnType<typeof createSourcesService>;
