import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { exportFormat, sendExport } from '../../http/export.js';
import { eventExporter } from './events.export.js';
import { listEnvelope, pageRequest, pickFields, shownFields } from '../../http/pagination.js';
import { registerWriteRoutes, type WriteDeps } from '../../http/write-routes.js';
import { setRecordEtag } from '../../http/record-etag.js';
import { IdParams, errorResponses, listErrorResponses } from '../../http/schemas.js';
import {
  EVENT_DEFAULT_SORT,
  EVENT_SORT_COLUMNS,
  EventCasualtiesSchema,
  EventListSchema,
  EventSchema,
  GetEventQuery,
  ListEventsQuery,
  CreateEventInput,
  PatchEventInput,
  eventFilterOf,
} from './events.schemas.js';
import type { EventsService } from './events.service.js';

export const eventsRoutes: FastifyPluginAsyncZod<{ events: EventsService } & WriteDeps> = async (app, { events, revisions, idempotency }) => {
  app.get(
    '/v1/events',
    {
      schema: {
        operationId: 'listEvents',
        tags: ['events'],
        summary: 'List events',
        description:
          'Events matching every given filter, newest first by default. Date filters select events whose date range overlaps the window.',
        querystring: ListEventsQuery,
        response: { 200: EventListSchema, ...listErrorResponses },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const page = pageRequest(query, EVENT_DEFAULT_SORT, EVENT_SORT_COLUMNS);
      const filter = eventFilterOf(query);
      const format = exportFormat(request, query.format);
      if (format === 'ndjson') {
        // NDJSON lines are whole events, and always name the actors.
        const include = [...new Set([...(query.include ?? []), 'participants' as const])];
        return sendExport(reply, format, eventExporter, events.exportAll(filter, page.sort, include), page.sort, shownFields(query.fields, query.include));
      }
      if (format !== 'json') {
        // CSV rows and GeoJSON properties are the same flat columns, whatever `include` asks.
        return sendExport(reply, format, eventExporter, events.exportSummaries(filter, page.sort), page.sort, shownFields(query.fields, query.include));
      }
      const result = await events.list(filter, page, query.include);
      const shown = shownFields(query.fields, query.include);
      return listEnvelope(request, result, page, (event) => pickFields(event, shown));
    },
  );

  app.get(
    '/v1/events/:id',
    {
      schema: {
        operationId: 'getEvent',
        tags: ['events'],
        summary: 'Get an event',
        description: 'One event with its provenance; `include` embeds participants, casualty reports, statements or children.',
        params: IdParams,
        querystring: GetEventQuery,
        response: { 200: EventSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const event = await events.get(request.params.id, request.query.include);
      return setRecordEtag(reply, pickFields(event, shownFields(request.query.fields, request.query.include)));
    },
  );

  app.get(
    '/v1/events/:id/casualties',
    {
      schema: {
        operationId: 'getEventCasualties',
        tags: ['events', 'casualty-reports'],
        summary: "Casualty figures for an event and its sub-events, never summed",
        description:
          'Every casualty report on the event and its sub-events, grouped by category and affected side. Each group shows the reports side by side, the low-high range across them and `contested` when reporters disagree. Figures from different reporters are never added up.',
        params: IdParams,
        response: { 200: EventCasualtiesSchema, ...errorResponses },
      },
    },
    async (request) => events.casualties(request.params.id),
  );
  registerWriteRoutes(app, {
    path: '/v1/events',
    resource: 'events',
    tag: 'events',
    name: 'Event',
    label: 'event',
    schema: EventSchema,
    createBody: CreateEventInput,
    patchBody: PatchEventInput,
    service: events,
    revisions,
    idempotency,
  });
};
