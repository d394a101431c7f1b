import Fastify, { type FastifyServerOptions } from 'fastify';
import etag from '@fastify/etag';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from './db/prisma.js';
import { openapiPlugin } from './http/openapi.js';
import { recordEtagPlugin } from './http/record-etag.js';
import { frameworkErrors, problemPlugin } from './http/problem.js';
import { actorsRoutes } from './modules/actors/actors.routes.js';
import { casualtyReportsRoutes } from './modules/casualty-reports/casualty-reports.routes.js';
import { eventsRoutes } from './modules/events/events.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { sourcesRoutes } from './modules/sources/sources.routes.js';
import { statementsRoutes } from './modules/statements/statements.routes.js';
import { taxonomyRoutes } from './modules/taxonomy/taxonomy.routes.js';
import { createServices } from './services.js';
import { authPlugin } from './http/auth.js';
import { changesRoutes } from './modules/revisions/changes.routes.js';
import { explorerRoutes } from './modules/explorer/explorer.routes.js';
import { statsRoutes } from './modules/stats/stats.routes.js';
import { observabilityPlugin, requestIdOptions, withRedaction } from './http/observability.js';
import { hardeningPlugin, rateLimitPlugin, serverOptions, type HttpOptions } from './http/hardening.js';
import { importsRoutes } from './modules/imports/imports.routes.js';
import { ledgerValidatorCompiler } from './http/validation.js';
import { drainPlugin } from './http/shutdown.js';

export interface AppOptions {
  database: Database;
  logger?: FastifyServerOptions['logger'];
  /** Reads need an API key with the read scope (READ_REQUIRES_KEY). */
  readRequiresKey?: boolean;
  /** Body limits, timeouts, CORS, rate limits, saturation guard (src/http/hardening.ts); all default safe and off where they could refuse. */
  http?: HttpOptions;
}

/** Builds the API around an open database. The caller owns the database and closes it. */
export async function buildApp({ database, logger = false, readRequiresKey = false, http = {} }: AppOptions) {
  const app = Fastify({
    ...serverOptions(http),
    ...requestIdOptions(),
    logger: withRedaction(logger),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    frameworkErrors,
    // A request arriving on a kept-alive connection while the server closes is served (with
    // Connection: close), not refused with 503: see src/http/shutdown.ts.
    return503OnClosing: false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(ledgerValidatorCompiler);
  // Responses are built from typed mappers; zod schemas document them and type-check the
  // handlers, so serialization itself need not re-validate every row.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  await app.register(drainPlugin);
  await app.register(problemPlugin);
  await app.register(observabilityPlugin, { database });
  await app.register(hardeningPlugin, http);
  await app.register(recordEtagPlugin); // before etag, which keeps an ETag already set
  await app.register(etag);
  await app.register(openapiPlugin);

  const services = createServices(database);
  await app.register(authPlugin, { apiKeys: services.apiKeys, readRequiresKey });
  await app.register(rateLimitPlugin, { rateLimit: http.rateLimit });
  const writes = { revisions: services.revisions, idempotency: services.idempotency };
  await app.register(eventsRoutes, { events: services.events, ...writes });
  await app.register(actorsRoutes, { actors: services.actors, ...writes });
  await app.register(statementsRoutes, { statements: services.statements, ...writes });
  await app.register(casualtyReportsRoutes, { casualtyReports: services.casualtyReports, ...writes });
  await app.register(sourcesRoutes, { sources: services.sources, ...writes });
  await app.register(changesRoutes, { revisions: services.revisions });
  await app.register(statsRoutes, { stats: services.stats });
  await app.register(importsRoutes, { imports: services.imports });
  await app.register(taxonomyRoutes);
  await app.register(healthRoutes, { pingDatabase: database.ping, isDraining: () => app.draining });
  await app.register(explorerRoutes);

  await app.ready();
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
