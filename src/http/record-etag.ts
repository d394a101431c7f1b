import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

// A record's ETag is "<version>-<hash of the representation>": the hash keeps caches
// honest when an embedded record changes, and the version is what If-Match checks, so a
// write based on any representation of version N succeeds only while N is current.
// The hash is of the bytes sent, taken once they are serialized (onSend): hashing the body
// beforehand would serialize every record twice.

export function recordEtag(version: number, representation: string): string {
  const hash = createHash('sha1').update(representation).digest('base64url').slice(0, 16);
  return `"${version}-${hash}"`;
}

/** The version of the record each reply carries, for its ETag once the body is serialized. */
const recordVersions = new WeakMap<FastifyReply, number>();

/** Marks `body` as a record whose ETag the reply sends (by recordEtagPlugin); returns it. */
export function setRecordEtag<T extends { version?: number }>(reply: FastifyReply, body: T): T {
  if (typeof body.version === 'number') recordVersions.set(reply, body.version);
  return body;
}

/** Sets the record ETag of replies marked by setRecordEtag; register it before @fastify/etag. */
export const recordEtagPlugin = fp(
  async (app) => {
    app.addHook('onSend', (_request, reply, payload, done) => {
      const version = recordVersions.get(reply);
      if (version !== undefined && typeof payload === 'string' && reply.statusCode < 300) reply.header('etag', recordEtag(version, payload));
      done(null, payload);
    });
  },
  { name: 'record-etag', fastify: '5.x' },
);

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
