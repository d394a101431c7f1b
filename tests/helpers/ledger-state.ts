import { createHash } from 'node:crypto';
import type { Database } from '../../src/db/prisma.js';

// The ledger's content, for comparing two databases: every row of every record table
// without its timestamps (which differ between runs), and the changes feed without its
// sequence numbers and times.

const TABLES = [
  'source',
  'actor',
  'actorAlias',
  'event',
  'eventParticipant',
  'statement',
  'statementTarget',
  'statementEvent',
  'casualtyReport',
  'provenance',
] as const;

function withoutTimes(row: Record<string, unknown>): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, deletedAt, ...rest } = row;
  return { ...rest, deleted: deletedAt !== null };
}

export async function ledgerState(database: Database) {
  const counts: Record<string, number> = {};
  const hash = createHash('sha256');
  for (const table of TABLES) {
    const rows = (await (database.prisma[table] as any).findMany({ orderBy: { id: 'asc' } })) as Record<string, unknown>[];
    counts[table] = rows.length;
    hash.update(table);
    for (const row of rows) hash.update(JSON.stringify(withoutTimes(row)));
  }
  const revisions = await database.prisma.revision.findMany({ orderBy: { seq: 'asc' } });
  counts.revision = revisions.length;
  const feed = revisions
    .map((r) => `${r.resource}/${r.recordId}/${r.version}/${r.action}`)
    .sort()
    .join('\n');
  return { counts, hash: hash.digest('hex'), feed: createHash('sha256').update(feed).digest('hex') };
}
