import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problem, sendProblem } from '../../http/problem.js';
import { ProblemSchema } from '../../http/schemas.js';

export interface HealthDeps {
  /** Resolves when the database answers a trivial query. */
  pingDatabase(): Promise<void>;
}

const HealthSchema = z.object({ status: z.literal('ok') });

export const healthRoutes: FastifyPluginAsyncZod<HealthDeps> = async (app, { pingDatabase }) => {
  app.get(
    '/healthz',
    {
      schema: {
        operationId: 'getLiveness',
        tags: ['health'],
        summary: 'Liveness: the process is up',
        description: 'Answers 200 while the process serves requests, without touching the database. Always open.',
        response: { 200: HealthSchema },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        operationId: 'getReadiness',
        tags: ['health'],
        summary: 'Readiness: the database answers',
        description: 'Answers 200 when the database answers a trivial query, 503 otherwise: take the instance out of rotation. Always open.',
        response: { 200: HealthSchema, 503: ProblemSchema },
      },
    },
    async (request, reply) => {
      try {
        await pingDatabase();
        return { status: 'ok' as const };
      } catch (error) {
        request.log.warn({ err: error }, 'database is not reachable');
        return sendProblem(reply, problem(503, 'The database is not reachable.', request.url));
      }
    },
  );
};
