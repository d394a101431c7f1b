// `tsx scripts/text-search-sql.ts`: writes the text-search migration of each database from
// SEARCH_TARGETS (src/db/text-search-schema.ts). tests/db/text-search.test.ts checks they agree.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrationsDir } from '../src/db/migrate.js';
import { textSearchMigration } from '../src/db/text-search-schema.js';

export const TEXT_SEARCH_MIGRATION = '20261205080000_text_search';

function main(): void {
  for (const provider of ['sqlite', 'postgresql'] as const) {
    const file = path.join(migrationsDir(provider), TEXT_SEARCH_MIGRATION, 'migration.sql');
    writeFileSync(file, textSearchMigration(provider));
    console.log(`Wrote ${file}`);
  }
}

// Run, not imported: the test imports TEXT_SEARCH_MIGRATION and must compare against the
// committed files, not against files it has just written.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
