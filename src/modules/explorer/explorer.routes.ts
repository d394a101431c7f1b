import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';

// The explorer is a static page for people, not part of the API: it reads the ledger
// through the public /v1 routes like any other client, so it is hidden from the OpenAPI
// document. Its few files are committed in ./public and read once at start; only the
// names listed here are served, so no request path ever reaches the file system.

const PUBLIC_DIR = path.join(import.meta.dirname, 'public');

const FILES = [
  { url: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { url: '/explorer/app.js', file: 'app.js', type: 'text/javascript; charset=utf-8' },
  { url: '/explorer/style.css', file: 'style.css', type: 'text/css; charset=utf-8' },
  { url: '/explorer/favicon.svg', file: 'favicon.svg', type: 'image/svg+xml' },
] as const;

/** What the page needs and nothing more; a stricter app-wide policy, when set, wins. */
export const EXPLORER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const explorerRoutes: FastifyPluginAsync = async (app) => {
  for (const { url, file, type } of FILES) {
    const body = readFileSync(path.join(PUBLIC_DIR, file));
    app.get(url, { schema: { hide: true } }, async (_request, reply) => {
      // helmet (src/http/hardening.ts) writes its headers straight onto the raw response.
      const policySet = reply.hasHeader('content-security-policy') || reply.raw.hasHeader('content-security-policy');
      if (!policySet) reply.header('content-security-policy', EXPLORER_CSP);
      return reply.type(type).header('cache-control', 'no-cache').send(body);
    });
  }
};

/** The paths the explorer serves, for code that lists the API's own routes. */
export const EXPLORER_PATHS: readonly string[] = FILES.map((f) => f.url);
