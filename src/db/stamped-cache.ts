import type { DatabaseProvider } from './database-url.js';
import type { Db } from './prisma.js';
import { query, raw } from './sql.js';

/** The sequence number of the last committed change (every write adds a revision), or 0. */
export async function latestRevision(db: Db, provider: DatabaseProvider): Promise<number> {
  const rows = await query<{ seq: number | bigint | string | null }>(db, provider, raw('SELECT max(seq) AS seq FROM revisions'));
  return Number(rows[0]?.seq ?? 0);
}

/**
 * Remembers answers that were slow to compute (a count over a big share of a million
 * events, a statistic over every casualty report), so that paging through a large result,
 * or asking the same question again, does not compute it again. An answer is reused only
 * while no write has committed since it was computed (`stamp`: the last revision, one
 * index lookup, so writes by other replicas count too) and for at most `ttlMs`, a bound for
 * rows written around the API (a bulk load). Fast answers are never kept, so a small ledger
 * always computes afresh. Requests that ask the same question at the same stamp while it is
 * being computed wait for that one computation: ten clients opening the same slow statistic
 * hold one database connection, not ten (a pool of them all busy with the same query made
 * every other request wait for a connection, then fail).
 */
export class StampedCache<T> {
  private readonly entries = new Map<string, { value: T; stamp: number; expires: number }>();
  private readonly inFlight = new Map<string, Promise<T>>();

  constructor(
    private readonly stamp: () => Promise<number>,
    private readonly ttlMs = 30_000,
    private readonly slowMs = 20,
    private readonly maxEntries = 1000,
  ) {}

  async get(key: string, compute: () => Promise<T>): Promise<T> {
    const stamp = await this.stamp();
    const hit = this.entries.get(key);
    if (hit && hit.stamp === stamp && hit.expires > Date.now()) return hit.value;
    const flight = `${stamp}\u0000${key}`;
    const running = this.inFlight.get(flight);
    if (running) return running;
    const computing = this.computeAndKeep(key, stamp, compute).finally(() => this.inFlight.delete(flight));
    this.inFlight.set(flight, computing);
    return computing;
  }

  private async computeAndKeep(key: string, stamp: number, compute: () => Promise<T>): Promise<T> {
    const started = Date.now();
    const value = await compute();
    if (Date.now() - started >= this.slowMs) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, { value, stamp, expires: Date.now() + this.ttlMs });
    }
    return value;
  }
}
