import type { DatabaseProvider } from './db/database-url.js';
import type { Database, Db } from './db/prisma.js';
import { writeTransaction } from './db/transaction.js';
import { createActorsRepository } from './modules/actors/actors.repository.js';
import { createActorsService } from './modules/actors/actors.service.js';
import { createCasualtyReportsRepository } from './modules/casualty-reports/casualty-reports.repository.js';
import { createCasualtyReportsService } from './modules/casualty-reports/casualty-reports.service.js';
import { createEventsRepository } from './modules/events/events.repository.js';
import { createEventsService } from './modules/events/events.service.js';
import { createProvenanceRepository } from './modules/provenance/provenance.repository.js';
import { createApiKeysRepository } from './modules/api-keys/api-keys.repository.js';
import { createApiKeysService } from './modules/api-keys/api-keys.service.js';
import { createIdempotencyRepository } from './modules/idempotency/idempotency.repository.js';
import { createIdempotencyService } from './modules/idempotency/idempotency.service.js';
import { createRevisionsRepository } from './modules/revisions/revisions.repository.js';
import { createRevisionsService } from './modules/revisions/revisions.service.js';
import { createSourcesRepository } from './modules/sources/sources.repository.js';
import { createSourcesService } from './modules/sources/sources.service.js';
import { createStatementsRepository } from './modules/statements/statements.repository.js';
import { createStatementsService } from './modules/statements/statements.service.js';
import { createStatsRepository } from './modules/stats/stats.repository.js';
import { createStatsService } from './modules/stats/stats.service.js';
import { createImportsRepository } from './modules/imports/imports.repository.js';
import { createImportsService } from './modules/imports/imports.service.js';

/** Every repository, bound to one Prisma client (the shared one, or a transaction's). */
export function createRepositories(prisma: Db, provider: DatabaseProvider) {
  return {
    actors: createActorsRepository(prisma, provider),
    events: createEventsRepository(prisma, provider),
    statements: createStatementsRepository(prisma, provider),
    casualtyReports: createCasualtyReportsRepository(prisma, provider),
    sources: createSourcesRepository(prisma, provider),
    provenance: createProvenanceRepository(prisma),
    revisions: createRevisionsRepository(prisma),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

/** Runs `work` in one serialized write transaction, with repositories bound to it. */
export type InTransaction = <T>(work: (repos: Repositories) => Promise<T>) => Promise<T>;

/**
 * Wires each service to the repositories it needs. The HTTP routes and the seed loader
 * both write through these services, so the seed obeys the same rules as the API.
 */
export function createServices(db: Database) {
  const repos = createRepositories(db.prisma, db.provider);
  const transaction = writeTransaction(db);
  const inTransaction: InTransaction = (work) => transaction((tx) => work(createRepositories(tx, db.provider)));

  const statements = createStatementsService({ repos, inTransaction });
  const casualtyReports = createCasualtyReportsService({ repos, inTransaction });
  const events = createEventsService({ repos, inTransaction, casualtyReports, statements });
  const actors = createActorsService({ repos, inTransaction, statements });
  const sources = createSourcesService({ repos, inTransaction, events, statements, casualtyReports });
  const revisions = createRevisionsService({ revisions: repos.revisions });
  const apiKeys = createApiKeysService(createApiKeysRepository(db.prisma));
  const idempotency = createIdempotencyService(createIdempotencyRepository(db.prisma));
  const stats = createStatsService({ stats: createStatsRepository(db.prisma, db.provider) });
  const imports = createImportsService({ inTransaction: (work) => db.writeOnDriver((tx) => work(createImportsRepository(tx))) });
  return { actors, events, statements, casualtyReports, sources, revisions, apiKeys, idempotency, stats, imports };
}

export type Services = ReturnType<typeof createServices>;
