import { Transform } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ledgerValidatorCompiler } from '../../http/validation.js';
import { z } from 'zod';
import { InvalidInputError } from '../../domain/errors.js';
import { requireScope } from '../../http/auth.js';
import { problem, sendProblem } from '../../http/problem.js';
import { ProblemSchema } from '../../http/schemas.js';
import { NEW_EVENT_EXAMPLE } from '../events/events.examples.js';
import { ImportFileError } from './imports.readers.js';
import type { ImportsService } from './imports.service.js';
import type { ImportFormat } from './imports.types.js';

// POST /v1/imports: the CLI's import over HTTP. The body is streamed into the importer,
// never buffered whole, so only this route takes large bodies. The key is checked when the
// request arrives, before a byte of the body is read; then the media type.

/** The largest body this route reads (other routes keep Fastify's 1 MiB). */
export const IMPORT_BODY_LIMIT = 512 * 1024 * 1024;
/** The rejection report in a response lists at most this many entries. */
export const MAX_LISTED_REJECTIONS = 1000;

const FORMATS: Record<string, ImportFormat> = { 'text/csv': 'acled', 'application/x-ndjson': 'ndjson' };

const RejectionSchema = z.object({
  line: z.number().int().describe('The line of the body the row starts on (a CSV header is line 1).'),
  column: z.string().nullable().describe('The CSV column or NDJSON field at fault; null when the row as a whole is.'),
  reason: z.string(),
});

const IMPORT_RESULT_EXAMPLE = {
  format: 'acled',
  rows: 308,
  imported: 300,
  updated: 0,
  unchanged: 0,
  rejected: 8,
  batches: 1,
  rejections: [
    { line: 31, column: 'event_date', reason: '"2025-02-30" is not a date (expected YYYY-MM-DD or "6 November 2025")' },
    { line: 405, column: null, reason: 'has 32 fields; the header has 31' },
  ],
  rejections_listed: 2,
};

export const ImportResultSchema = z
  .object({
    format: z.enum(['acled', 'ndjson']),
    rows: z.number().int().describe('Rows read (the CSV header and blank lines not counted).'),
    imported: z.number().int().describe('Events created.'),
    updated: z.number().int().describe('Events that existed (by id or external id) and were changed.'),
    unchanged: z.number().int().describe('Events that already held what the row says.'),
    rejected: z.number().int().describe('Rows skipped; each has entries in `rejections`.'),
    batches: z.number().int().describe('Transactions committed (500 rows each).'),
    rejections: z.array(RejectionSchema).describe(`Why each skipped row was skipped, by line; the first ${MAX_LISTED_REJECTIONS} entries.`),
    rejections_listed: z.number().int().describe('How many entries `rejections` holds (fewer than all when the report was cut).'),
  })
  .meta({ id: 'ImportResult', examples: [IMPORT_RESULT_EXAMPLE] });

const CSV_EXAMPLE =
  'event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,iso,geo_precision,source,notes,fatalities\n' +
  'AFG10001,2025-11-06,1,Battles,Armed clash,Military Forces of Afghanistan (2021-),4,1,Tolo News,"Afghan and Pakistani forces clashed near Spin Boldak, officials said.",4\n';
const NDJSON_EXAMPLE = `${JSON.stringify({ ...NEW_EVENT_EXAMPLE, external_id: 'AFG10002' })}\n`;

const ImportBody = z.string().meta({
  description:
    'An ACLED CSV export (`text/csv`: the published column set, header row first) or events in the body of POST /v1/events, one JSON object a line (`application/x-ndjson`).',
  // One example per media type (src/http/openapi.ts puts each under its own type).
  'x-media-examples': { 'text/csv': CSV_EXAMPLE, 'application/x-ndjson': NDJSON_EXAMPLE },
});

function mediaTypeOf(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** 415 for any body but CSV or NDJSON, 413 for a declared length over the limit: before the body is read. */
async function acceptableBody(request: FastifyRequest, reply: FastifyReply) {
  if (!FORMATS[mediaTypeOf(request)]) {
    return sendProblem(
      reply,
      problem(415, `Send an ACLED CSV export as text/csv or events as application/x-ndjson, not "${mediaTypeOf(request) || 'no Content-Type'}".`, request.url),
    );
  }
  if (Number(request.headers['content-length'] ?? 0) > IMPORT_BODY_LIMIT) {
    return sendProblem(reply, problem(413, `The body is larger than ${IMPORT_BODY_LIMIT} bytes; split the file, or use npm run import on the server.`, request.url));
  }
  return undefined;
}

class BodyTooLargeError extends Error {
  statusCode = 413;
}

/** Passes the body through, failing once it grows past the limit (for bodies sent without a length). */
function limited(limit: number) {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > limit) callback(new BodyTooLargeError(`The body is larger than ${limit} bytes; split the file, or use npm run import on the server.`));
      else callback(null, chunk);
    },
  });
}

export const importsRoutes: FastifyPluginAsyncZod<{ imports: ImportsService }> = async (app, { imports }) => {
  // In this plugin only: hand the body over as the request stream, unread.
  app.addContentTypeParser(Object.keys(FORMATS), (_request, payload, done) => done(null, payload));

  app.post(
    '/v1/imports',
    {
      onRequest: [requireScope('write'), acceptableBody],
      bodyLimit: IMPORT_BODY_LIMIT,
      // The body is a stream for the importer to read, not a value to validate here.
      validatorCompiler: (route) => (route.httpPart === 'body' ? () => true : ledgerValidatorCompiler(route as unknown as Parameters<typeof ledgerValidatorCompiler>[0])),
      schema: {
        operationId: 'importEvents',
        tags: ['imports'],
        summary: 'Import an ACLED CSV export or NDJSON events',
        description:
          'Needs an API key with the write scope. The body streams into the importer: rows are checked one by one and written in batches of 500, each batch one transaction. ' +
          'ACLED rows become events (event_id_cnty kept as external_id), actors found by name or created, participants (actor1 side_a, actor2 side_b, associated actors on their side), ' +
          'a source per row and ACLED\'s fatality figure as a casualty report. NDJSON lines take the body of POST /v1/events. Bad rows are skipped into `rejections` and never stop the good ones. ' +
          'Importing the same rows again changes nothing (events are found by id or external id), so a failed import can simply be sent again. Answers 201 when events were created, 200 otherwise.',
        security: [{ bearerAuth: [] }],
        consumes: Object.keys(FORMATS),
        body: ImportBody,
        response: {
          200: ImportResultSchema.describe('Nothing new: every good row updated or confirmed an existing event.'),
          201: ImportResultSchema.describe('Events were created.'),
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          413: ProblemSchema,
          415: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const body = (request.body as unknown as NodeJS.ReadableStream).pipe(limited(IMPORT_BODY_LIMIT));
      let summary;
      try {
        summary = await imports.run(body, { format: FORMATS[mediaTypeOf(request)], changedBy: request.apiKey!.name });
      } catch (error) {
        if (error instanceof ImportFileError) throw new InvalidInputError(error.message);
        throw error;
      }
      const rejections = summary.rejections.slice(0, MAX_LISTED_REJECTIONS);
      return reply.code(summary.imported > 0 ? 201 : 200).send({ ...summary, rejections, rejections_listed: rejections.length });
    },
  );
};
