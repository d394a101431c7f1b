// `npm run openapi:export [FILE]`: boots the app on a scratch SQLite database and writes the
// OpenAPI document it serves (default: openapi.json at the project root).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { connectDatabase } from '../src/db/prisma.js';

const out = path.resolve(process.argv[2] ?? 'openapi.json');
const dir = mkdtempSync(path.join(os.tmpdir(), 'ledger-openapi-'));
const url = `file:${path.join(dir, 'ledger.db')}`;
try {
  await migrateDatabase(url);
  const database = await connectDatabase(url);
  const app = await buildApp({ database });
  writeFileSync(out, `${JSON.stringify(app.swagger(), null, 2)}\n`);
  await app.close();
  await database.close();
  console.log(`Wrote ${out}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
