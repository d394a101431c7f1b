import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { migrateDatabase } from './db/migrate.js';
import { connectDatabase } from './db/prisma.js';
import { createServices } from './services.js';
import { httpOptionsFromConfig } from './http/hardening.js';
import { gracefulShutdown } from './http/shutdown.js';
import { loadSeed } from '../seed/load-seed.js';

// Starts the process: config, database, migrations, seed, then listen. Everything that
// can fail does so before the port opens, with a message that says what to fix.
async function main(): Promise<void> {
  const config = loadConfig();
  const applied = config.MIGRATE_ON_START ? await migrateDatabase(config.DATABASE_URL) : [];
  const database = await connectDatabase(config.DATABASE_URL, {
    connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
  });
  const app = await buildApp({ database, logger: { level: config.LOG_LEVEL }, readRequiresKey: config.READ_REQUIRES_KEY, http: httpOptionsFromConfig(config) });
  if (applied.length > 0) app.log.info({ applied }, 'applied migrations');
  try {
    if (config.SEED_ON_START) {
      const seeded = await loadSeed(createServices(database));
      app.log.info(seeded, 'seed loaded');
    }
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (error) {
    await app.close();
    await database.close();
    throw error;
  }

  // SIGTERM from an orchestrator, SIGINT from Ctrl-C: drain, finish, close (src/http/shutdown.ts).
  const shutdown = gracefulShutdown(app, {
    drainMs: config.SHUTDOWN_DRAIN_MS,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    closeResources: () => database.close(),
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      shutdown(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          app.log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
