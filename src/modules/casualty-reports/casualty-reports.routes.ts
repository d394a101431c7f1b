import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { exportFormat, sendExport } from '../../http/export.js';
import { casualtyReportExporter } from './casualty-reports.export.js';
import { listEnvelope, pageRequest, pickFields } from '../../http/pagination.js';
import { registerWriteRoutes, type WriteDeps } from '../../http/write-routes.js';
import { setRecordEtag } from '../../http/record-etag.js';
import { IdParams, errorResponses, listErrorResponses } from '../../http/schemas.js';
import {
  CASUALTY_REPORT_DEFAULT_SORT,
  CASUALTY_REPORT_SORT_COLUMNS,
  CasualtyReportListSchema,
  CasualtyReportSchema,
  GetCasualtyReportQuery,
  ListCasualtyReportsQuery,
  CreateCasualtyReportInput,
  PatchCasualtyReportInput,
} from './casualty-reports.schemas.js';
import type { CasualtyReportsService } from './casualty-reports.service.js';

const COUNTRY_CODE = /^[A-Z]{3}$/;

export const casualtyReportsRoutes: FastifyPluginAsyncZod<{ casualtyReports: CasualtyReportsService } & WriteDeps> = async (
  app,
  { casualtyReports, revisions, idempotency },
) => {
  app.get(
    '/v1/casualty-reports',
    {
      schema: {
        operationId: 'listCasualtyReports',
        tags: ['casualty-reports'],
        summary: 'List casualty reports',
        description:
          'Each figure as its reporter gave it. Reports from different reporters may cover overlapping scopes: never add them up (see getEventCasualties).',
        querystring: ListCasualtyReportsQuery,
        response: { 200: CasualtyReportListSchema, ...listErrorResponses },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const page = pageRequest(query, CASUALTY_REPORT_DEFAULT_SORT, CASUALTY_REPORT_SORT_COLUMNS);
      const sideCountries = query.side?.filter((s) => COUNTRY_CODE.test(s));
      const sideActors = query.side?.filter((s) => !COUNTRY_CODE.test(s));
      const filter = {
          events: query.event,
          reportedBy: query.reported_by,
          categories: query.category,
          sideActors: sideActors?.length ? sideActors : undefined,
          sideCountries: sideCountries?.length ? sideCountries : undefined,
          from: query.from,
          to: query.to,
          updatedSince: query.updated_since,
        };
      const format = exportFormat(request, query.format);
      if (format !== 'json') return sendExport(reply, format, casualtyReportExporter, (p) => casualtyReports.list(filter, query.include_children ?? false, p), page.sort, query.fields);
      const result = await casualtyReports.list(filter, query.include_children ?? false, page);
      return listEnvelope(request, result, page, (report) => pickFields(report, query.fields));
    },
  );

  app.get(
    '/v1/casualty-reports/:id',
    {
      schema: {
        operationId: 'getCasualtyReport',
        tags: ['casualty-reports'],
        summary: 'Get a casualty report',
        description: 'One reporter\'s figures as given (low and high bounds), with the source passages that support them; `fields` narrows it.',
        params: IdParams,
        querystring: GetCasualtyReportQuery,
        response: { 200: CasualtyReportSchema, ...errorResponses },
      },
    },
    async (request, reply) => setRecordEtag(reply, pickFields(await casualtyReports.get(request.params.id), request.query.fields)),
  );
  registerWriteRoutes(app, {
    path: '/v1/casualty-reports',
    resource: 'casualty-reports',
    tag: 'casualty-reports',
    name: 'CasualtyReport',
    label: 'casualty report',
    schema: CasualtyReportSchema,
    createBody: CreateCasualtyReportInput,
    patchBody: PatchCasualtyReportInput,
    service: casualtyReports,
    revisions,
    idempotency,
  });
};
