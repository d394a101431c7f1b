import type { Database } from './db/prisma.js';
import { createActorsRepository } from './modules/actors/actors.repository.js';
import { createActorsService } from './modules/actors/actors.service.js';
import { createCasualtyReportsRepository } from './modules/casualty-reports/casualty-reports.repository.js';
import { createCasualtyReportsService } from './modules/casualty-reports/casualty-reports.service.js';
import { createEventsRepository } from './modules/events/events.repository.js';
import { createEventsService } from './modules/events/events.service.js';
import { createProvenanceRepository } from './modules/provenance/provenance.repository.js';
import { createProvenanceService } from './modules/provenance/provenance.service.js';
import { createSourcesRepository } from './modules/sources/sources.repository.js';
import { createSourcesService } from './modules/sources/sources.service.js';
import { createStatementsRepository } from './modules/statements/statements.repository.js';
import { createStatementsService } from './modules/statements/statements.service.js';

/**
 * Wires each service to the repositories it needs. The HTTP routes and the seed loader
 * both write through these services, so the seed obeys the same rules as the API.
 */
export function createServices(db: Database) {
  const { prisma, provider } = db;
  const repositories = {
    actors: createActorsRepository(prisma, provider),
    events: createEventsRepository(prisma, provider),
    statements: createStatementsRepository(prisma, provider),
    casualtyReports: createCasualtyReportsRepository(prisma),
    sources: createSourcesRepository(prisma, provider),
    provenance: createProvenanceRepository(prisma),
  };
  const provenance = createProvenanceService(repositories.provenance);
  const statements = createStatementsService({
    statements: repositories.statements,
    actors: repositories.actors,
    events: repositories.events,
    provenance,
  });
  const casualtyReports = createCasualtyReportsService({
    casualtyReports: repositories.casualtyReports,
    events: repositories.events,
    actors: repositories.actors,
    statements: repositories.statements,
    provenance,
  });
  const events = createEventsService({
    events: repositories.events,
    actors: repositories.actors,
    casualtyReports,
    statements,
    provenance,
  });
  const actors = createActorsService({ actors: repositories.actors, statements, provenance });
  const sources = createSourcesService({ sources: repositories.sources, events, statements, casualtyReports });
  return { actors, events, statements, casualtyReports, sources };
}

export type Services = ReturnType<typeof createServices>;
