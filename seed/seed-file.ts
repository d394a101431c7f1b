import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { CreateActorInput } from '../src/modules/actors/actors.schemas.js';
import { CreateCasualtyReportInput } from '../src/modules/casualty-reports/casualty-reports.schemas.js';
import { CreateEventInput } from '../src/modules/events/events.schemas.js';
import { CreateSourceInput } from '../src/modules/sources/sources.schemas.js';
import { CreateStatementInput } from '../src/modules/statements/statements.schemas.js';

// A seed file holds records in the shape the API's write bodies take, each with the id it
// keeps on every install. Sources name a text file beside the seed instead of inlining text.

const withId = { id: z.string().regex(/^[a-z]{3}_[a-z0-9_]+$/, 'expected a stable id like evt_spinghar_border_clash') };

export const SeedFileSchema = z
  .object({
    sources: z.array(CreateSourceInput.omit({ text: true }).extend({ ...withId, text_file: z.string().min(1).optional() }).strict()),
    actors: z.array(CreateActorInput.extend(withId)),
    events: z.array(CreateEventInput.safeExtend(withId)),
    statements: z.array(CreateStatementInput.safeExtend(withId)),
    casualty_reports: z.array(CreateCasualtyReportInput.safeExtend(withId)),
  })
  .strict();
export type SeedFile = z.infer<typeof SeedFileSchema>;

export const DEFAULT_SEED_FILE = path.join(path.dirname(new URL(import.meta.url).pathname), 'data', 'article-toutiao-2025-11-07.yaml');

export class SeedFileError extends Error {}

/** Reads and validates a seed file; every problem is reported with its path. */
export function readSeedFile(file: string = DEFAULT_SEED_FILE): SeedFile & { texts: Map<string, string> } {
  const parsed = SeedFileSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new SeedFileError(`${file} is not a valid seed file:\n${lines.join('\n')}`);
  }
  const texts = new Map<string, string>();
  for (const source of parsed.data.sources) {
    if (source.text_file) texts.set(source.id, readFileSync(path.resolve(path.dirname(file), source.text_file), 'utf8'));
  }
  return { ...parsed.data, texts };
}
