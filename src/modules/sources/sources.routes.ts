import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { exportFormat, sendExport } from '../../http/export.js';
import { sourceExporter } from './sources.export.js';
import { listEnvelope, pageRequest, pickFields, shownFields } from '../../http/pagination.js';
import { registerWriteRoutes, type WriteDeps } from '../../http/write-routes.js';
import { setRecordEtag } from '../../http/record-etag.js';
import { IdParams, errorResponses, listErrorResponses } from '../../http/schemas.js';
import { GetSourceQuery, ListSourcesQuery, SOURCE_DEFAULT_SORT, SOURCE_SORT_COLUMNS, SourceListSchema, SourceSchema,
  CreateSourceInput,
  PatchSourceInput,
} from './sources.schemas.js';
import type { SourcesService } from './sources.service.js';

export const sourcesRoutes: FastifyPluginAsyncZod<{ sources: SourcesService } & WriteDeps> = async (app, { sources, revisions, idempotency }) => {
  app.get(
    '/v1/sources',
    {
      schema: {
        operationId: 'listSources',
        tags: ['sources'],
        summary: 'List sources',
        description: 'The documents the ledger cites. The full text is returned by the detail route with `include=text`.',
        querystring: ListSourcesQuery,
        response: { 200: SourceListSchema, ...listErrorResponses },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const page = pageRequest(query, SOURCE_DEFAULT_SORT, SOURCE_SORT_COLUMNS);
      const filter = {
          q: query.q,
          publishers: query.publisher,
          from: query.from,
          to: query.to,
          updatedSince: query.updated_since,
        };
      const format = exportFormat(request, query.format);
      if (format !== 'json') return sendExport(reply, format, sourceExporter, (p) => sources.list(filter, p), page.sort, query.fields);
      const result = await sources.list(filter, page);
      return listEnvelope(request, result, page, (source) => pickFields(source, query.fields));
    },
  );

  app.get(
    '/v1/sources/:id',
    {
      schema: {
        operationId: 'getSource',
        tags: ['sources'],
        summary: 'Get a source',
        description: '`include=text` adds the full stored text; `events`, `statements` and `casualty_reports` embed what it supports.',
        params: IdParams,
        querystring: GetSourceQuery,
        response: { 200: SourceSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const source = await sources.get(request.params.id, request.query.include);
      return setRecordEtag(reply, pickFields(source, shownFields(request.query.fields, request.query.include)));
    },
  );
  registerWriteRoutes(app, {
    path: '/v1/sources',
    resource: 'sources',
    tag: 'sources',
    name: 'Source',
    label: 'source',
    schema: SourceSchema,
    createBody: CreateSourceInput,
    patchBody: PatchSourceInput,
    service: sources,
    revisions,
    idempotency,
  });
};
