import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiKeyIdentity, ApiKeysService, AuthenticationResult } from '../modules/api-keys/api-keys.service.js';
import { problem, sendProblem } from './problem.js';

// Bearer API keys (RFC 6750). The onRequest hook reads `Authorization: Bearer <key>` and
// remembers what it found; routes say what they need with `requireScope`, and reads under
// /v1/ need the `read` scope when READ_REQUIRES_KEY is on. A `write` key may also read.
// The presented key is never logged or echoed: details name the key only by its name.

export type Scope = 'read' | 'write';

export interface AuthOptions {
  apiKeys: Pick<ApiKeysService, 'authenticate'>;
  /** Reads (GET/HEAD under /v1/) need a key with the `read` scope too. */
  readRequiresKey: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The key the request authenticated with, or null when it sent none or a bad one. */
    apiKey: ApiKeyIdentity | null;
  }
}

type Credential = { status: 'absent' } | AuthenticationResult;
const ABSENT: Credential = { status: 'absent' };

const credentials = new WeakMap<FastifyRequest, Credential>();

const REALM = 'Bearer realm="conflict-ledger"';
const BEARER = /^Bearer +([^\s]+) *$/i;
const CREATE_HINT = (scopes: string) => `create one with \`npm run apikey -- create --name NAME --scopes ${scopes}\``;

/** problem() with a proper type and title for 401 and 403 when it has none of its own. */
function authProblem(status: 401 | 403, detail: string, instance: string) {
  const body = problem(status, detail, instance);
  if (!body.type.endsWith(`:http-${status}`)) return body;
  return status === 401
    ? { ...body, type: 'urn:conflict-ledger:problem:unauthorized', title: 'An API key is required' }
    : { ...body, type: 'urn:conflict-ledger:problem:forbidden', title: 'This API key may not do that' };
}

function hasScope(key: ApiKeyIdentity, scope: Scope): boolean {
  return key.scopes.includes(scope) || (scope === 'read' && key.scopes.includes('write'));
}

function credentialOf(request: FastifyRequest): Credential {
  const credential = credentials.get(request);
  if (!credential) throw new Error('The auth plugin (src/http/auth.ts) must be registered before routes that check API keys.');
  return credential;
}

function scopesFor(scope: Scope): string {
  return scope === 'read' ? 'read' : 'read,write';
}

/** Answers a request whose credential is missing, bad or revoked; undefined when it is valid. */
function refuseUnusable(request: FastifyRequest, reply: FastifyReply, credential: Credential, scope: Scope) {
  if (credential.status === 'absent') {
    reply.header('WWW-Authenticate', REALM);
    return sendProblem(
      reply,
      authProblem(
        401,
        `This request needs an API key with the ${scope} scope. Send it as \`Authorization: Bearer <key>\`; ${CREATE_HINT(scopesFor(scope))}.`,
        request.url,
      ),
    );
  }
  if (credential.status === 'invalid') {
    reply.header('WWW-Authenticate', `${REALM}, error="invalid_token"`);
    return sendProblem(
      reply,
      authProblem(
        401,
        'The API key in the Authorization header is not valid. Send `Authorization: Bearer <key>` with the whole key as ' +
          '`npm run apikey -- create` printed it (it starts with `cl_`); if it is lost, ' +
          `${CREATE_HINT(scopesFor(scope))}.`,
        request.url,
      ),
    );
  }
  if (credential.status === 'revoked') {
    return sendProblem(
      reply,
      authProblem(
        403,
        `The API key "${credential.key.name}" was revoked and no longer works. Create a new one with ` +
          `\`npm run apikey -- create --name NAME --scopes ${credential.key.scopes.join(',') || scopesFor(scope)}\` and send it as \`Authorization: Bearer <key>\`.`,
        request.url,
      ),
    );
  }
  return undefined;
}

async function check(request: FastifyRequest, reply: FastifyReply, scope: Scope) {
  const credential = credentialOf(request);
  if (credential.status !== 'valid') return refuseUnusable(request, reply, credential, scope);
  if (hasScope(credential.key, scope)) return undefined;
  reply.header('WWW-Authenticate', `${REALM}, error="insufficient_scope", scope="${scope}"`);
  const has = credential.key.scopes.length > 0 ? `has the scopes ${credential.key.scopes.join(',')}` : 'has no scopes';
  return sendProblem(
    reply,
    authProblem(
      403,
      `The API key "${credential.key.name}" ${has}, but this request needs ${scope}. ` +
        `Send an API key with the ${scope} scope as \`Authorization: Bearer <key>\`; ${CREATE_HINT(scopesFor(scope))}.`,
      request.url,
    ),
  );
}

/** A hook (run before validation) that lets the request through only with a valid key holding `scope`. */
export function requireScope(scope: Scope) {
  return async function requireScopeHook(request: FastifyRequest, reply: FastifyReply) {
    return check(request, reply, scope);
  };
}

/** The route pattern when a route matched (so encoded paths cannot dodge it), else the path. */
function pathOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? request.url.split('?')[0];
}

function underV1(path: string): boolean {
  return path === '/v1' || path.startsWith('/v1/');
}

/**
 * The plugin runs this before every route: under /v1/ a key that was sent but is not
 * valid is refused even where no key is needed (so a client learns its key is dead), and
 * with `readRequiresKey` GET and HEAD need the `read` scope. /healthz, /readyz, /docs and
 * /openapi.json are outside /v1/ and stay open.
 */
export function readAccess(readRequiresKey: boolean) {
  return async function readAccessHook(request: FastifyRequest, reply: FastifyReply) {
    if (!underV1(pathOf(request))) return undefined;
    const reading = request.method === 'GET' || request.method === 'HEAD';
    if (readRequiresKey && reading) return check(request, reply, 'read');
    const credential = credentialOf(request);
    return credential.status === 'absent' ? undefined : refuseUnusable(request, reply, credential, reading ? 'read' : 'write');
  };
}

/** What a sent Authorization header amounts to (the hook handles a request that sends none). */
async function presentedCredential(header: string, apiKeys: AuthOptions['apiKeys']): Promise<Credential> {
  const match = BEARER.exec(header);
  if (!match) return { status: 'invalid' };
  return apiKeys.authenticate(match[1]);
}

export const authPlugin = fp(
  async (app: FastifyInstance, { apiKeys, readRequiresKey }: AuthOptions) => {
    app.decorateRequest('apiKey', null);
    app.addHook('onRequest', (request, _reply, done) => {
      const remember = (credential: Credential) => {
        credentials.set(request, credential);
        request.apiKey = credential.status === 'valid' ? credential.key : null;
        done();
      };
      // Most reads send no key: those are answered without waiting on a promise.
      const header = request.headers.authorization;
      if (header === undefined) remember(ABSENT);
      else presentedCredential(header, apiKeys).then(remember, done);
    });
    // Before validation: a client without the right key learns nothing about the body's shape.
    app.addHook('preValidation', readAccess(readRequiresKey));
  },
  { name: 'auth', fastify: '5.x' },
);
