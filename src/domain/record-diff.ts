// What a change did to a record, field by field, for its revision history.

const BOOKKEEPING = new Set(['created_at', 'updated_at', 'version']);

export type Changes = Record<string, { from: unknown; to: unknown }>;

export function recordDiff(before: object | null, after: object | null): Changes {
  const a = (before ?? {}) as Record<string, unknown>;
  const b = (after ?? {}) as Record<string, unknown>;
  const changes: Changes = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (BOOKKEEPING.has(key)) continue;
    const from = a[key] ?? null;
    const to = b[key] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
  }
  return changes;
}
