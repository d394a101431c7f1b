import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { InvalidInputError } from '../../domain/errors.js';
import { ProblemSchema } from '../../http/schemas.js';
import type { RevisionsService } from './revisions.service.js';

const ChangeSchema = z
  .object({
    seq: z.number().int().describe('Commit order; the feed is sorted by it.'),
    resource: z.enum(['events', 'actors', 'statements', 'casualty-reports', 'sources']),
    id: z.string(),
    action: z.enum(['created', 'updated', 'deleted']),
    version: z.number().int(),
    changed_at: z.string(),
    record: z.record(z.string(), z.unknown()).nullable().describe('The record after the change; null for a deletion (a tombstone).'),
  })
  .meta({ id: 'Change' });

const ChangesQuery = z
  .object({
    since: z
      .string()
      .min(1)
      .optional()
      .describe('A cursor from `meta.next_cursor` (resume exactly where you stopped), or an RFC 3339 time (changes at or after it).'),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

function cursorOf(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

/** `since` as a sequence number to resume after, or a time to start at. */
function parseSince(since: string | undefined): { afterSeq: number; at?: Date } {
  if (!since) return { afterSeq: 0 };
  const decoded = Buffer.from(since, 'base64url').toString('utf8');
  const seq = /^seq:(\d+)$/.exec(decoded);
  if (seq) return { afterSeq: Number(seq[1]) };
  const at = new Date(since);
  if (/^\d{4}-\d{2}-\d{2}T/.test(since) && !Number.isNaN(at.getTime())) return { afterSeq: 0, at };
  throw new InvalidInputError('`since` is neither a cursor from this feed nor an RFC 3339 time.', [
    { path: 'query.since', message: 'expected meta.next_cursor from an earlier page, or a time like 2025-11-07T00:00:00Z' },
  ]);
}

export const changesRoutes: FastifyPluginAsyncZod<{ revisions: RevisionsService }> = async (app, { revisions }) => {
  app.get(
    '/v1/changes',
    {
      schema: {
        operationId: 'listChanges',
        tags: ['changes'],
        summary: 'Created, updated and deleted records, in commit order',
        description:
          'For services that mirror the ledger. Store `meta.next_cursor` and pass it as `since` next time: you get every change after it exactly once, even while others write. An empty page means you are up to date; its `next_cursor` is where to resume.',
        querystring: ChangesQuery,
        response: {
          200: z.object({
            data: z.array(ChangeSchema),
            meta: z.object({ limit: z.number().int(), next_cursor: z.string(), has_more: z.boolean() }),
            links: z.object({ self: z.string(), next: z.string() }),
          }),
          400: ProblemSchema,
        },
      },
    },
    async (request) => {
      const { afterSeq, at } = parseSince(request.query.since);
      const limit = request.query.limit;
      const page = await revisions.changes(afterSeq, at, limit);
      const next = cursorOf(page.lastSeq);
      return {
        data: page.rows as z.infer<typeof ChangeSchema>[],
        meta: { limit, next_cursor: next, has_more: page.rows.length === limit },
        links: { self: request.url, next: `/v1/changes?since=${next}&limit=${limit}` },
      };
    },
  );
};
