import type { Database, Db } from './prisma.js';

// Every write runs in one transaction, and write transactions run one at a time: on
// PostgreSQL through a transaction-scoped advisory lock, on SQLite because it has a single
// writer. So a write reads what the previous one committed (no lost update), and the
// revision sequence numbers are handed out in commit order, which the changes feed needs.
const WRITE_LOCK = 7_243_001;

export type WriteTransaction = <T>(work: (tx: Db) => Promise<T>) => Promise<T>;

export function writeTransaction(database: Database): WriteTransaction {
  return (work) =>
    database.prisma.$transaction(
      async (tx) => {
        if (database.provider === 'postgresql') await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${WRITE_LOCK})`);
        return work(tx as unknown as Db);
      },
      { maxWait: 30_000, timeout: 30_000 },
    );
}
