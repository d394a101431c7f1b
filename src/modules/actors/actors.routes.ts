import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { exportFormat, sendExport } from '../../http/export.js';
import { actorExporter } from './actors.export.js';
import { listEnvelope, pageRequest, pickFields, shownFields } from '../../http/pagination.js';
import { registerWriteRoutes, type WriteDeps } from '../../http/write-routes.js';
import { setRecordEtag } from '../../http/record-etag.js';
import { IdParams, errorResponses, listErrorResponses } from '../../http/schemas.js';
import { ACTOR_DEFAULT_SORT, ACTOR_SORT_COLUMNS, ActorListSchema, ActorSchema, GetActorQuery, ListActorsQuery,
  CreateActorInput,
  PatchActorInput,
} from './actors.schemas.js';
import type { ActorsService } from './actors.service.js';

export const actorsRoutes: FastifyPluginAsyncZod<{ actors: ActorsService } & WriteDeps> = async (app, { actors, revisions, idempotency }) => {
  app.get(
    '/v1/actors',
    {
      schema: {
        operationId: 'listActors',
        tags: ['actors'],
        summary: 'List actors',
        description: 'States, governments, armed groups, organisations and people, by name by default.',
        querystring: ListActorsQuery,
        response: { 200: ActorListSchema, ...listErrorResponses },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const page = pageRequest(query, ACTOR_DEFAULT_SORT, ACTOR_SORT_COLUMNS);
      const filter = {
          q: query.q,
          kinds: query.kind,
          countries: query.country,
          parents: query.parent,
          updatedSince: query.updated_since,
        };
      const format = exportFormat(request, query.format);
      if (format !== 'json') return sendExport(reply, format, actorExporter, (p) => actors.list(filter, p, query.include), page.sort, shownFields(query.fields, query.include));
      const result = await actors.list(filter, page, query.include);
      const shown = shownFields(query.fields, query.include);
      return listEnvelope(request, result, page, (actor) => pickFields(actor, shown));
    },
  );

  app.get(
    '/v1/actors/:id',
    {
      schema: {
        operationId: 'getActor',
        tags: ['actors'],
        summary: 'Get an actor',
        description: 'One actor; `include` embeds its events, the statements it made or that target it, and its children.',
        params: IdParams,
        querystring: GetActorQuery,
        response: { 200: ActorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = await actors.get(request.params.id, request.query.include);
      return setRecordEtag(reply, pickFields(actor, shownFields(request.query.fields, request.query.include)));
    },
  );
  registerWriteRoutes(app, {
    path: '/v1/actors',
    resource: 'actors',
    tag: 'actors',
    name: 'Actor',
    label: 'actor',
    schema: ActorSchema,
    createBody: CreateActorInput,
    patchBody: PatchActorInput,
    service: actors,
    revisions,
    idempotency,
  });
};
