import type { Services } from '../src/services.js';
import type { WriteContext } from '../src/modules/revisions/record-writes.js';
import { readSeedFile, DEFAULT_SEED_FILE, type SeedFile } from './seed-file.js';

export interface SeedResult {
  created: number;
  unchanged: number;
}

type WithParent = { id: string; parent_id?: string };

/** Parents before children, whatever the file's order; a cycle is an error. */
export function parentsFirst<T extends WithParent>(records: T[], alreadyStored: Set<string> = new Set()): T[] {
  const ordered: T[] = [];
  const placed = new Set(alreadyStored);
  let pending = records;
  while (pending.length > 0) {
    const ready = pending.filter((r) => !r.parent_id || placed.has(r.parent_id) || !pending.some((p) => p.id === r.parent_id));
    if (ready.length === 0) throw new Error(`Parent cycle among: ${pending.map((r) => r.id).join(', ')}`);
    for (const r of ready) placed.add(r.id);
    ordered.push(...ready);
    pending = pending.filter((r) => !ready.includes(r));
  }
  return ordered;
}

interface Writer<T> {
  exists(ids: string[]): Promise<Set<string>>;
  create(input: T, context: WriteContext): Promise<unknown>;
}

/** The name seeded records' revisions carry as their author. */
export const SEED_AUTHOR = 'seed';

/**
 * Loads a seed file through the same services as the API. Records already stored (by
 * their stable id) are left as they are, so loading twice changes nothing, an interrupted
 * load completes on the next run, and two instances seeding at once do not duplicate.
 */
export async function loadSeed(services: Services, file: string = DEFAULT_SEED_FILE): Promise<SeedResult> {
  const seed: SeedFile & { texts: Map<string, string> } = readSeedFile(file);
  const result: SeedResult = { created: 0, unchanged: 0 };

  async function write<T extends { id: string }>(writer: Writer<NoInfer<T>>, records: T[]): Promise<void> {
    const stored = await writer.exists(records.map((r) => r.id));
    for (const record of records) {
      if (stored.has(record.id)) {
        result.unchanged += 1;
        continue;
      }
      try {
        await writer.create(record, { actor: SEED_AUTHOR });
        result.created += 1;
      } catch (error) {
        // Another instance may have written it in the meantime; anything else is real.
        if (!(await writer.exists([record.id])).has(record.id)) throw error;
        result.unchanged += 1;
      }
    }
  }

  await write(
    services.sources,
    seed.sources.map(({ text_file: _textFile, ...source }) => ({ ...source, text: seed.texts.get(source.id) })),
  );
  await write(services.actors, parentsFirst(seed.actors));
  await write(services.events, parentsFirst(seed.events));
  await write(services.statements, seed.statements);
  await write(services.casualtyReports, seed.casualty_reports);
  return result;
}
