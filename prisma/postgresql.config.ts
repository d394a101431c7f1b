// Prisma CLI configuration for PostgreSQL (`npm run db:migrate` picks it from DATABASE_URL).
import path from 'node:path';
import pg from 'pg';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';
import { databaseUrlFromEnv } from '../src/db/database-url.js';

// Migrate and introspection read pg_catalog columns of types `name` (OID 19) and `"char"`
// (OID 18), which @prisma/adapter-pg 6.x cannot map (prisma/orm#27403: "Column type 'name'
// could not be deserialized"). pg already hands their values over as strings, so reporting
// them as `text` (OID 25), and `name[]` (1003) as `text[]` (1009), is exact. This client is
// used only by the Migrate configuration; the app's own client is untouched.
const AS_TEXT: Record<number, number> = { 18: 25, 19: 25, 1003: 1009 };

type FieldsResult = { fields?: { dataTypeID: number }[] };

function nameColumnsAsText<T>(result: T): T {
  for (const field of (result as FieldsResult)?.fields ?? []) {
    field.dataTypeID = AS_TEXT[field.dataTypeID] ?? field.dataTypeID;
  }
  return result;
}

class MigrateClient extends pg.Client {
  // pg's query() has many overloads; forward them untouched and fix the result.
  override query(...args: unknown[]): never {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (err: unknown, result: unknown) =>
        (last as (e: unknown, r: unknown) => void)(err, err ? result : nameColumnsAsText(result));
      return (super.query as (...a: unknown[]) => never)(...args);
    }
    const pending = (super.query as (...a: unknown[]) => Promise<unknown>)(...args);
    return pending.then(nameColumnsAsText) as never;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('postgresql', 'schema.prisma'),
  migrations: { path: path.join('postgresql', 'migrations') },
  async adapter() {
    // allowExitOnIdle: idle connections do not keep the CLI alive once it is done.
    const pool = new pg.Pool({ connectionString: databaseUrlFromEnv(), Client: MigrateClient, allowExitOnIdle: true });
    return new PrismaPg(pool);
  },
});
