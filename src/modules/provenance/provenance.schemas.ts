import { z } from 'zod';

export const SourceLinkInput = z
  .object({
    id: z.string().min(1).describe('The source record id.'),
    excerpt: z.string().min(1).max(5000).describe("A verbatim passage of the source's stored text."),
  })
  .strict()
  .meta({ id: 'SourceLinkInput' });

/** Ids a client may choose for its own records: a prefix, then letters, digits, _ or -. */
export function recordId(prefix: string) {
  return z
    .string()
    .regex(new RegExp(`^${prefix}_[A-Za-z0-9_-]{1,100}$`), `expected an id like ${prefix}_example`);
}

export const optionalText = z.string().min(1).max(10000).optional();

/**
 * The PATCH body of a resource: any of its create fields except `id`, each nullable (null
 * removes an optional field). The merged record is then validated as a whole.
 */
export function patchSchema<T extends z.ZodRawShape>(fields: z.ZodObject<T>, id: string) {
  const shape = Object.fromEntries(
    Object.entries(fields.shape)
      .filter(([key]) => key !== 'id')
      .map(([key, schema]) => [key, (schema as z.ZodType).nullable().optional()]),
  );
  return z
    .object(shape)
    .strict()
    .refine((patch) => Object.keys(patch).length > 0, { message: 'send at least one field to change' })
    .meta({ id });
}
