import Fastify, { type FastifyServerOptions } from 'fastify';
import etag from '@fastify/etag';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from './db/prisma.js';
import { openapiPlugin } from './http/openapi.js';
import { problemPlugin } from './http/problem.js';
import { actorsRoutes } from './modules/actors/actors.routes.js';
import { casualtyReportsRoutes } from './modules/casualty-reports/casualty-reports.routes.js';
import { eventsRoutes } from './modules/events/events.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { sourcesRoutes } from './modules/sources/sources.routes.js';
import { statementsRoutes } from './modules/statements/statements.routes.js';
import { taxonomyRoutes } from './modules/taxonomy/taxonomy.routes.js';
import { createServices } from './services.js';

export interface AppOptions {
  database: Database;
  logger?: FastifyServerOptions['logger'];
}

/** Builds the API around an open database. The caller owns the database and closes it. */
export async function buildApp({ database, logger = false }: AppOptions) {
  const app = Fastify({ logger, routerOptions: { ignoreTrailingSlash: true } }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  // Responses are built from typed mappers; zod schemas document them and type-check the
  // handlers, so serialization itself need not re-validate every row.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  await app.register(problemPlugin);
  await app.register(etag);
  await app.register(openapiPlugin);

  const services = createServices(database);
  await app.register(eventsRoutes, { events: services.events });
  await app.register(actorsRoutes, { actors: services.actors });
  await app.register(statementsRoutes, { statements: services.statements });
  await app.register(casualtyReportsRoutes, { casualtyReports: services.casualtyReports });
  await app.register(sourcesRoutes, { sources: services.sources });
  await app.register(taxonomyRoutes);
  await app.register(healthRoutes, { pingDatabase: database.ping });

  await app.ready();
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
