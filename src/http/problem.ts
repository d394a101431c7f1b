import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, type FieldError } from '../domain/errors.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import type { Problem } from './schemas.js';

// Every error leaves the API as an RFC 9457 problem. Domain errors map by class, never by
// message text; anything unexpected becomes a 500 whose detail says nothing internal.

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const DATABASE_RETRY_AFTER_SECONDS = 5;

const TYPES: Record<number, { slug: string; title: string }> = {
  400: { slug: 'invalid-request', title: 'Your request is not valid' },
  401: { slug: 'unauthorized', title: 'Authentication required' },
  403: { slug: 'forbidden', title: 'Forbidden' },
  404: { slug: 'not-found', title: 'Not found' },
  405: { slug: 'method-not-allowed', title: 'Method not allowed' },
  406: { slug: 'not-acceptable', title: 'Not acceptable' },
  409: { slug: 'conflict', title: 'Conflict' },
  410: { slug: 'gone', title: 'Gone' },
  412: { slug: 'precondition-failed', title: 'Precondition failed' },
  422: { slug: 'unprocessable', title: 'Unprocessable request' },
  413: { slug: 'payload-too-large', title: 'Payload too large' },
  414: { slug: 'uri-too-long', title: 'URI too long' },
  415: { slug: 'unsupported-media-type', title: 'Unsupported media type' },
  429: { slug: 'too-many-requests', title: 'Too many requests' },
  500: { slug: 'internal-error', title: 'Internal server error' },
  503: { slug: 'unavailable', title: 'Service unavailable' },
};

export function problem(status: number, detail: string, instance: string, errors?: FieldError[]): Problem {
  const known = TYPES[status] ?? { slug: `http-${status}`, title: `HTTP ${status}` };
  return {
    type: `urn:conflict-ledger:problem:${known.slug}`,
    title: known.title,
    status,
    detail,
    instance,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

const CONTEXT_NAMES: Record<string, string> = { querystring: 'query', params: 'path', body: 'body', headers: 'header' };

function validationErrors(error: FastifyError): FieldError[] {
  const context = CONTEXT_NAMES[error.validationContext ?? ''] ?? error.validationContext ?? 'request';
  return (error.validation ?? []).flatMap((issue) => {
    const base = [context, ...issue.instancePath.split('/').filter(Boolean)].join('.');
    const params = issue.params as { keys?: string[] } | undefined;
    if (issue.keyword === 'unrecognized_keys' && params?.keys) {
      return params.keys.map((key) => ({ path: `${base}.${key}`, message: `"${key}" is not a known parameter here` }));
    }
    return [{ path: base, message: issue.message ?? 'is not valid' }];
  });
}

function toProblem(error: FastifyError, request: FastifyRequest): Problem {
  const instance = request.url;
  if (hasZodFastifySchemaValidationErrors(error) || error.validation) {
    const errors = validationErrors(error);
    const summary = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    return problem(400, `The request has ${errors.length} invalid value(s): ${summary}`, instance, errors);
  }
  if (error instanceof DomainError) {
    if (error.kind === 'not_found') return problem(404, error.message, instance);
    if (error.kind === 'gone') return problem(410, error.message, instance);
    if (error.kind === 'conflict') return problem(409, error.message, instance);
    if (error.kind === 'stale') return problem(412, error.message, instance);
    if (error.kind === 'unprocessable') return problem(422, error.message, instance);
    const errors = 'errors' in error ? (error.errors as FieldError[]) : [];
    return problem(400, error.message, instance, errors);
  }
  const status = error.statusCode ?? 500;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return problem(413, `The request body is larger than the ${request.routeOptions.bodyLimit ?? 'configured'} bytes this server accepts (BODY_LIMIT).`, instance);
  }
  if (status >= 400 && status < 500) return problem(status, error.message, instance);
  return problem(500, 'Something went wrong on our side. It has been logged; please try again later.', instance);
}

/**
 * Fastify's own refusals before routing (a path segment too long, a URL that does not
 * decode) leave as problems too: Fastify's `frameworkErrors` option.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void sendProblem(reply, problem(414, 'A path segment of the URL is too long.', request.url));
    return;
  }
  void sendProblem(reply, problem(400, 'The URL is not valid.', request.url));
}

export const problemPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (isDatabaseUnavailable(error)) {
        // Down, unreachable, timed out or locked: the client may retry; the next request tries the database afresh.
        request.log.warn({ err: error }, 'database unavailable');
        reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
        return sendProblem(reply, problem(503, `The database is not reachable right now; retry in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`, request.url));
      }
      const body = toProblem(error, request);
      if (body.status >= 500) request.log.error({ err: error }, 'request failed');
      return sendProblem(reply, body);
    });
    app.setNotFoundHandler((request, reply) =>
      sendProblem(reply, problem(404, `There is no route ${request.method} ${request.url.split('?')[0]}.`, request.url)),
    );
  },
  { name: 'problem-details' },
);
