import type { Database, Db } from './prisma.js';

// Every write runs in one transaction, and write transactions run one at a time: on
// PostgreSQL through a transaction-scoped advisory lock, on SQLite through its single
// write lock, taken at the start. So a write reads what the previous one committed (no lost update), and the
// revision sequence numbers are handed out in commit order, which the changes feed needs.
export const WRITE_LOCK = 7_243_001;

export type WriteTransaction = <T>(work: (tx: Db) => Promise<T>) => Promise<T>;

export function writeTransaction(database: Database): WriteTransaction {
  return (work) =>
    database.prisma.$transaction(
      async (tx) => {
        if (database.provider === 'postgresql') await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${WRITE_LOCK})`);
        // SQLite: take the write lock first. The adapter's BEGIN is deferred, and a
        // transaction that has read cannot wait for another process's write to finish (it
        // fails with SQLITE_BUSY at once); one that starts with a write waits its turn
        // under the busy timeout, like BEGIN IMMEDIATE. A write that changes no row does it.
        else await tx.$executeRawUnsafe('DELETE FROM revisions WHERE 1 = 0');
        return work(tx as unknown as Db);
      },
      { maxWait: 30_000, timeout: 30_000 },
    );
}
