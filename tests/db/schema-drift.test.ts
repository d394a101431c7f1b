import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { providers, renderSchema, schemaPath } from '../../scripts/build-prisma-schemas.js';
import { schemaDrift } from '../../scripts/prisma.js';
import { connectDatabase } from '../../src/db/prisma.js';
import { emptyDatabase, provider, type ScratchDatabase } from '../helpers/databases.js';

// The models are written once (prisma/models.prisma). These tests fail when a generated
// schema was edited by hand, or when the committed migrations no longer build the schema.

const scratch: ScratchDatabase[] = [];
afterAll(async () => {
  for (const db of scratch) await db.drop();
});

describe('one model for every database', () => {
  it.each(providers)('the committed %s schema is the model file plus its header', (p) => {
    expect(readFileSync(schemaPath(p), 'utf8')).toBe(renderSchema(p));
  });

  it(`the ${provider} migrations build exactly the schema, and a difference is noticed`, async () => {
    const db = await emptyDatabase();
    scratch.push(db);
    expect(schemaDrift(provider, db.url)).toBe('');
    // The same check fails on a database that has drifted from the schema.
    const database = await connectDatabase(db.url);
    await database.prisma.$executeRawUnsafe('ALTER TABLE events ADD COLUMN unexpected TEXT');
    await database.close();
    expect(schemaDrift(provider, db.url, { migrate: false })).not.toBe('');
  });
});
