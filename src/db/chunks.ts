// Prisma caps the bind parameters of one query (999 on SQLite), and an `IN (...)` list of
// a thousand ids (a full page's includes) would exceed it. Long id lists are queried in
// chunks, one chunk at a time.
export const ID_CHUNK = 500;

export async function inChunks<T>(ids: string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  if (ids.length <= ID_CHUNK) return query(ids);
  const results: T[] = [];
  for (let i = 0; i < ids.length; i += ID_CHUNK) results.push(...(await query(ids.slice(i, i + ID_CHUNK))));
  return results;
}
