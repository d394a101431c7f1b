// `npm run db:migrate` and `npm run db:seed`: the same steps the server takes at start,
// for operators who want them separately.
import { loadConfig } from '../config.js';
import { migrateDatabase } from '../db/migrate.js';
import { connectDatabase } from '../db/prisma.js';
import { createServices } from '../services.js';
import { loadSeed } from '../../seed/load-seed.js';

async function main(command: string | undefined): Promise<void> {
  if (command !== 'migrate' && command !== 'seed') {
    throw new Error('usage: tsx src/cli/db.ts migrate|seed');
  }
  const config = loadConfig();
  const applied = await migrateDatabase(config.DATABASE_URL);
  console.log(applied.length > 0 ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date.');
  if (command !== 'seed') return;
  const database = await connectDatabase(config.DATABASE_URL);
  try {
    {
      const result = await loadSeed(createServices(database));
      console.log(`Seed: ${result.created} records created, ${result.unchanged} already present.`);
    }
  } finally {
    await database.close();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
