import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problem, sendProblem } from '../../http/problem.js';
import { ProblemSchema } from '../../http/schemas.js';

export interface HealthDeps {
  /** Resolves when the database answers a trivial query. */
  pingDatabase(): Promise<void>;
  /** True once the instance is shutting down (src/http/shutdown.ts). */
  isDraining(): boolean;
}

const HealthSchema = z.object({ status: z.literal('ok') });

export const healthRoutes: FastifyPluginAsyncZod<HealthDeps> = async (app, { pingDatabase, isDraining }) => {
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
        summary: 'Readiness: the database answers and the instance is not shutting down',
        description:
          'Answers 200 when the database answers a trivial query; 503 when it does not, and from the moment the instance is told to stop (SIGTERM or SIGINT) while it still serves for a moment: take the instance out of rotation. Always open.',
        response: { 200: HealthSchema, 503: ProblemSchema },
      },
    },
    async (request, reply) => {
      if (isDraining()) return sendProblem(reply, problem(503, 'The instance is shutting down.', request.url));
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
