import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

// A record's ETag is "<version>-<hash of the representation>": the hash keeps caches
// honest when an embedded record changes, and the version is what If-Match checks, so a
// write based on any representation of version N succeeds only while N is current.

export function recordEtag(version: number, body: unknown): string {
  const hash = createHash('sha1').update(JSON.stringify(body)).digest('base64url').slice(0, 16);
  return `"${version}-${hash}"`;
}

export function setRecordEtag<T extends { version?: number }>(reply: FastifyReply, body: T): T {
  if (typeof body.version === 'number') reply.header('etag', recordEtag(body.version, body));
  return body;
}

/**
 * The version an If-Match header asks for: undefined when absent or `*`; -1 when it names
 * no version of ours (which then never matches, as HTTP requires).
 */
export function ifMatchVersion(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d+)-[^"]*"\s*$/.exec(header);
  return match ? Number(match[1]) : -1;
}
