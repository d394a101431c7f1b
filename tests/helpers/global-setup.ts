import type { TestProject } from 'vitest/node';
import { migrateDatabase } from '../../src/db/migrate.js';
import { connectDatabase } from '../../src/db/prisma.js';
import { createServices } from '../../src/services.js';
import { loadSeed } from '../../seed/load-seed.js';
import { emptyDatabase, provider } from './databases.js';

// Prepares one migrated, seeded database per run; each test file gets its own copy.
export default async function setup(project: TestProject) {
  const template = await emptyDatabase();
  await migrateDatabase(template.url);
  const database = await connectDatabase(template.url);
  try {
    await loadSeed(createServices(database));
    if (provider === 'sqlite') await database.prisma.$executeRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    await database.close();
  }
  project.provide('templateDatabaseUrl', template.url);
  return () => template.drop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabaseUrl: string;
  }
}
