// Versioned rows: every change increments `version`; a delete is a tombstone (`deleted_at`),
// kept for the changes feed. The `where` includes the version the caller read, so a write
// based on a stale read changes nothing.

// Prisma's delegates are generic over their arguments; this is the part used here.
interface VersionedModel {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  updateMany(args: any): Promise<{ count: number }>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  findFirst(args: any): Promise<unknown>;
}

/** Applies `data` and bumps the version if the row is live at `version`; false otherwise. */
export async function updateVersioned(model: VersionedModel, id: string, version: number, data: Record<string, unknown>): Promise<boolean> {
  const { count } = await model.updateMany({
    where: { id, version, deletedAt: null },
    data: { ...data, version: { increment: 1 } },
  });
  return count === 1;
}

export function tombstoneVersioned(model: VersionedModel, id: string, version: number): Promise<boolean> {
  return updateVersioned(model, id, version, { deletedAt: new Date() });
}

/** Whether a row has this id, live or tombstoned: such an id can never be reused. */
export async function idInUse(model: VersionedModel, id: string): Promise<boolean> {
  return (await model.findFirst({ where: { id }, select: { id: true } })) !== null;
}

/** Whether a row with this id existed and was deleted. */
export async function isTombstoned(model: VersionedModel, id: string): Promise<boolean> {
  return (await model.findFirst({ where: { id, deletedAt: { not: null } }, select: { id: true } })) !== null;
}

/** The ids above `startId` in a parent hierarchy, nearest first (stops on a cycle). */
export async function ancestorIds(model: VersionedModel, startId: string): Promise<string[]> {
  const seen: string[] = [];
  let current: string | null = startId;
  while (current && !seen.includes(current)) {
    seen.push(current);
    const row = (await model.findFirst({ where: { id: current }, select: { parentId: true } })) as { parentId: string | null } | null;
    current = row?.parentId ?? null;
  }
  return seen;
}
