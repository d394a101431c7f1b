// `npm run openapi:export [FILE]`: boots the app on a scratch SQLite database and writes the
// OpenAPI document it serves (default: openapi.json at the project root).
// `npm run openapi:check [FILE]`: the same document, compared with the committed file; exits
// 1 when they differ, so a changed contract is always a deliberate commit.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { connectDatabase } from '../src/db/prisma.js';

const args = process.argv.slice(2);
const check = args.includes('--check');
const out = path.resolve(args.find((arg) => !arg.startsWith('--')) ?? 'openapi.json');
const dir = mkdtempSync(path.join(os.tmpdir(), 'ledger-openapi-'));
const url = `file:${path.join(dir, 'ledger.db')}`;
try {
  await migrateDatabase(url);
  const database = await connectDatabase(url);
  const app = await buildApp({ database });
  const text = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  await app.close();
  await database.close();
  if (!check) {
    writeFileSync(out, text);
    console.log(`Wrote ${out}`);
  } else if (existsSync(out) && readFileSync(out, 'utf8') === text) {
    console.log(`${path.relative(process.cwd(), out)} matches the document the app serves.`);
  } else {
    console.error(`${path.relative(process.cwd(), out)} differs from the document the app serves: run npm run openapi:export and commit it.`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
