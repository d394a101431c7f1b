// `tsx scripts/text-search-sql.ts`: writes the text-search migration of each database from
// SEARCH_TARGETS (src/db/text-search.ts). tests/db/text-search.test.ts checks they agree.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { migrationsDir } from '../src/db/migrate.js';
import { textSearchMigration } from '../src/db/text-search-schema.js';

export const TEXT_SEARCH_MIGRATION = '20261205080000_text_search';

for (const provider of ['sqlite', 'postgresql'] as const) {
  const file = path.join(migrationsDir(provider), TEXT_SEARCH_MIGRATION, 'migration.sql');
  writeFileSync(file, textSearchMigration(provider));
  console.log(`Wrote ${file}`);
}
