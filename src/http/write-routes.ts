import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { NotFoundError } from '../domain/errors.js';
import type { WriteContext } from '../modules/revisions/record-writes.js';
import type { IdempotencyService } from '../modules/idempotency/idempotency.service.js';
import { requestHash } from '../modules/idempotency/idempotency.service.js';
import type { RevisionsService } from '../modules/revisions/revisions.service.js';
import { requireScope } from './auth.js';
import { ifMatchVersion, setRecordEtag } from './record-etag.js';
import { IdParams, ProblemSchema } from './schemas.js';

// The write routes every resource has, declared once: POST (with Idempotency-Key), PATCH
// and DELETE (with If-Match), and the revision history.

export interface WritableService<Resource> {
  create(input: never, context: WriteContext): Promise<Resource>;
  update(id: string, patch: Record<string, unknown>, context: WriteContext): Promise<Resource>;
  remove(id: string, context: WriteContext): Promise<void>;
}

/** What a resource's routes need to offer writes. */
export interface WriteDeps {
  revisions: RevisionsService;
  idempotency: IdempotencyService;
}

export interface WriteRoutesOptions<Resource extends { id: string; version: number }> {
  /** e.g. `/v1/events` */
  path: string;
  /** The revision history's resource name, e.g. `events`. */
  resource: string;
  tag: string;
  /** For operation ids: `Event` gives createEvent, updateEvent, deleteEvent, listEventRevisions. */
  name: string;
  /** For summaries: "event". */
  label: string;
  schema: z.ZodType<Resource>;
  createBody: z.ZodType;
  patchBody: z.ZodType;
  service: WritableService<Resource>;
  revisions: RevisionsService;
  idempotency: IdempotencyService;
}

const security = [{ bearerAuth: [] }];
const writeErrors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema };
const recordErrors = { ...writeErrors, 404: ProblemSchema, 409: ProblemSchema, 410: ProblemSchema, 412: ProblemSchema };

const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('Makes a retried POST safe: the first response is replayed for 24 hours; reuse with another body is refused (422).'),
});
const IfMatchHeaders = z.object({
  'if-match': z.string().optional().describe('The ETag you read; if the record changed since, nothing is written and the answer is 412.'),
});

export const RevisionSchema = z
  .object({
    seq: z.number().int().describe('Position in the changes feed.'),
    version: z.number().int(),
    action: z.enum(['created', 'updated', 'deleted']),
    changed_by: z.string().describe('The name of the API key that made the change ("seed" for the seed).'),
    changed_at: z.string(),
    changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })).describe('Each changed field, old and new value.'),
  })
  .meta({ id: 'Revision' });

function context(request: FastifyRequest): WriteContext {
  return { actor: request.apiKey?.name ?? 'anonymous', expectedVersion: ifMatchVersion(request) };
}

export function registerWriteRoutes<Resource extends { id: string; version: number }>(
  app: FastifyInstance,
  options: WriteRoutesOptions<Resource>,
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { path, name, label, tag, service } = options;
  const writer = requireScope('write');

  api.post(
    path,
    {
      preValidation: writer,
      schema: {
        operationId: `create${name}`,
        tags: [tag],
        summary: `Create a ${label}`,
        description: `Needs an API key with the write scope. Every reference must exist and every excerpt must be verbatim text of its source; otherwise nothing is written. Send Idempotency-Key to retry safely.`,
        security,
        headers: IdempotencyHeaders,
        body: options.createBody,
        response: { 201: options.schema, ...writeErrors, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request, reply: FastifyReply) => {
      const run = async () => ({ status: 201, body: await service.create(request.body as never, context(request)) });
      const key = request.headers['idempotency-key'] as string | undefined;
      const outcome = key
        ? await options.idempotency.run(
            { apiKeyId: request.apiKey!.id, key, requestHash: requestHash('POST', path, request.body) },
            run,
          )
        : { ...(await run()), replayed: false };
      reply.code(outcome.status).header('location', `${path}/${outcome.body.id}`);
      if (outcome.replayed) reply.header('idempotent-replayed', 'true');
      return setRecordEtag(reply, outcome.body);
    },
  );

  api.patch(
    `${path}/:id`,
    {
      preValidation: writer,
      schema: {
        operationId: `update${name}`,
        tags: [tag],
        summary: `Change a ${label}`,
        description:
          'A merge patch: send only the fields to change; `null` removes an optional field; lists you send (sources, participants, aliases, targets) replace the stored ones. The result must be a valid record. Send If-Match with the ETag you read to be sure nobody changed it in between.',
        security,
        params: IdParams,
        headers: IfMatchHeaders,
        body: options.patchBody,
        response: { 200: options.schema, ...recordErrors },
      },
    },
    async (request, reply) => setRecordEtag(reply, await service.update(request.params.id, request.body as Record<string, unknown>, context(request))),
  );

  api.delete(
    `${path}/:id`,
    {
      preValidation: writer,
      schema: {
        operationId: `delete${name}`,
        tags: [tag],
        summary: `Delete a ${label}`,
        description:
          'Leaves a tombstone: the record disappears from lists and answers 410, and the deletion appears in the changes feed. Refused (409) while live records still refer to it.',
        security,
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 204: z.null().describe('Deleted.'), ...recordErrors },
      },
    },
    async (request, reply) => {
      await service.remove(request.params.id, context(request));
      return reply.code(204).send(null);
    },
  );

  api.get(
    `${path}/:id/revisions`,
    {
      schema: {
        operationId: `list${name}Revisions`,
        tags: [tag],
        summary: `The history of a ${label}`,
        description: 'Every change, oldest first: who (the API key name), when, and each field\'s old and new value. Kept after deletion.',
        params: IdParams,
        response: { 200: z.object({ data: z.array(RevisionSchema) }), 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const data = await options.revisions.history(options.resource, request.params.id);
      // Every record written through the API has at least its creation on record.
      if (data.length === 0) throw new NotFoundError(label, request.params.id);
      return { data };
    },
  );
}
