import { z } from 'zod';

// Schemas shared by every resource: the wire shapes of problems, lists, references and
// provenance, and the query parameters every list route takes.

export const ProblemSchema = z
  .object({
    type: z.string().describe('A URI identifying the kind of problem.'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().describe('What went wrong, in words a person can act on.'),
    instance: z.string().describe('The request path and query that caused it.'),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('One entry per invalid value, e.g. `{ "path": "query.country", "message": "..." }`.'),
  })
  .meta({
    id: 'Problem',
    description: 'An RFC 9457 problem document (served as application/problem+json).',
    examples: [
      {
        type: 'urn:conflict-ledger:problem:invalid-request',
        title: 'Your request is not valid',
        status: 400,
        detail: 'The request has 1 invalid value(s): query.country: expected an ISO 3166-1 alpha-3 code such as PAK',
        instance: '/v1/events?country=Pakistan',
        errors: [{ path: 'query.country', message: 'expected an ISO 3166-1 alpha-3 code such as PAK' }],
      },
    ],
  });
export type Problem = z.infer<typeof ProblemSchema>;

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date as YYYY-MM-DD', abort: true })
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'is not a real calendar date');

export const Iso3 = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 3166-1 alpha-3 code such as PAK');

export const Timestamp = z.string().describe('RFC 3339 timestamp, UTC.');

export const SourceRefSchema = z
  .object({
    id: z.string().describe('The source record id.'),
    title: z.string(),
    url: z.string().nullable(),
    excerpt: z.string().describe('The verbatim passage of the source that supports this record.'),
    start_offset: z.number().int().nullable().describe('Character offset of the excerpt in the source text.'),
    end_offset: z.number().int().nullable(),
  })
  .meta({ id: 'SourceRef', description: 'Provenance: the passage of a source that supports a record.' });
export type SourceRef = z.infer<typeof SourceRefSchema>;

export const ActorRefSchema = z.object({ id: z.string(), name: z.string() }).meta({ id: 'ActorRef' });
export const EventRefSchema = z.object({ id: z.string(), title: z.string() }).meta({ id: 'EventRef' });

export const RecordMeta = {
  created_at: Timestamp,
  updated_at: Timestamp,
  version: z.number().int().describe('Increases by one on every change.'),
};

export const ListMetaSchema = z.object({
  limit: z.number().int(),
  next_cursor: z.string().nullable().describe('Pass as `cursor` to get the next page; null on the last page.'),
  total: z.number().int().describe('How many records match the filters, across all pages.'),
});

export const LinksSchema = z.object({
  self: z.string(),
  next: z.string().nullable(),
});

export function listResponse<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), meta: ListMetaSchema, links: LinksSchema });
}

/** `a,b,c` → ['a','b','c'], trimming blanks; also accepts a repeated parameter. */
export function commaList<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => {
    const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
    return parts.map((part) => part.trim()).filter((part) => part !== '');
  }, z.array(item).min(1));
}

export function pageQuery(sortFields: readonly string[], defaultSort: string) {
  const sortKey = z.enum(sortFields.flatMap((f) => [f, `-${f}`]) as [string, ...string[]]);
  return {
    limit: z.coerce.number().int().min(1).max(1000).default(50).describe('Page size, 1 to 1000 (default 50).'),
    cursor: z.string().min(1).optional().describe('Opaque cursor from `meta.next_cursor` of the previous page.'),
    sort: commaList(sortKey)
      .optional()
      .describe(`Comma list of ${sortFields.join(', ')}; prefix \`-\` for descending. Default \`${defaultSort}\`. Ties break by id.`),
  };
}

export function fieldsQuery(fields: readonly string[]) {
  return commaList(z.enum(fields as [string, ...string[]]))
    .optional()
    .describe('Return only these fields (`id` is always returned).');
}

export function includeQuery<const T extends readonly [string, ...string[]]>(includes: T) {
  return commaList(z.enum(includes))
    .optional()
    .describe(`Embed related records: ${includes.join(', ')}.`);
}

export const UpdatedSince = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .describe('Only records changed at or after this RFC 3339 time (for incremental sync).');

/** For list queries with a `from`/`to` window: `to` may not come before `from`. */
export function fromNotAfterTo(query: { from?: string; to?: string }): boolean {
  return !query.from || !query.to || query.from <= query.to;
}
export const FROM_TO_MESSAGE = { path: ['to'], message: 'must not be before `from`' };

/** `q`: full-text search over `where` (src/db/text-search.ts). */
export function searchQuery(where: string) {
  return z
    .string()
    .max(200)
    .refine((q) => /[\p{L}\p{N}]/u.test(q), 'must contain a word (a letter or a digit)')
    .optional()
    .describe(
      `Words in ${where}. A record matches when each word starts a word of its text, ignoring case and accents: \`kab tal\` finds "Kābul's Taliban".`,
    );
}

export const IdParams = z.object({ id: z.string().min(1).max(200) });

/** The error responses of a detail route (a list route has only the 400). */
export const errorResponses = { 400: ProblemSchema, 404: ProblemSchema };
export const listErrorResponses = { 400: ProblemSchema };
