import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { exportFormat, sendExport } from '../../http/export.js';
import { statementExporter } from './statements.export.js';
import { listEnvelope, pageRequest, pickFields } from '../../http/pagination.js';
import { registerWriteRoutes, type WriteDeps } from '../../http/write-routes.js';
import { setRecordEtag } from '../../http/record-etag.js';
import { IdParams, errorResponses, listErrorResponses } from '../../http/schemas.js';
import {
  GetStatementQuery,
  ListStatementsQuery,
  STATEMENT_DEFAULT_SORT,
  STATEMENT_SORT_COLUMNS,
  StatementListSchema,
  StatementSchema,
  CreateStatementInput,
  PatchStatementInput,
} from './statements.schemas.js';
import type { StatementsService } from './statements.service.js';

export const statementsRoutes: FastifyPluginAsyncZod<{ statements: StatementsService } & WriteDeps> = async (app, { statements, revisions, idempotency }) => {
  app.get(
    '/v1/statements',
    {
      schema: {
        operationId: 'listStatements',
        tags: ['statements'],
        summary: 'List statements',
        description: 'What actors said: accusations, denials, commitments and more, newest first by default.',
        querystring: ListStatementsQuery,
        response: { 200: StatementListSchema, ...listErrorResponses },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const page = pageRequest(query, STATEMENT_DEFAULT_SORT, STATEMENT_SORT_COLUMNS);
      const filter = {
          q: query.q,
          speakers: query.speaker,
          onBehalfOf: query.on_behalf_of,
          targets: query.target,
          events: query.event,
          kinds: query.kind,
          from: query.from,
          to: query.to,
          attributions: query.attribution,
          updatedSince: query.updated_since,
        };
      const format = exportFormat(request, query.format);
      if (format !== 'json') return sendExport(reply, format, statementExporter, (p) => statements.list(filter, p), page.sort, query.fields);
      const result = await statements.list(filter, page);
      return listEnvelope(request, result, page, (statement) => pickFields(statement, query.fields));
    },
  );

  app.get(
    '/v1/statements/:id',
    {
      schema: {
        operationId: 'getStatement',
        tags: ['statements'],
        summary: 'Get a statement',
        description: 'One statement with its verbatim quote, speaker, targets and the source passages that support it; `fields` narrows it.',
        params: IdParams,
        querystring: GetStatementQuery,
        response: { 200: StatementSchema, ...errorResponses },
      },
    },
    async (request, reply) => setRecordEtag(reply, pickFields(await statements.get(request.params.id), request.query.fields)),
  );
  registerWriteRoutes(app, {
    path: '/v1/statements',
    resource: 'statements',
    tag: 'statements',
    name: 'Statement',
    label: 'statement',
    schema: StatementSchema,
    createBody: CreateStatementInput,
    patchBody: PatchStatementInput,
    service: statements,
    revisions,
    idempotency,
  });
};
