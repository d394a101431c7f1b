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
