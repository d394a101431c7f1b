// Prisma CLI configuration for PostgreSQL (`npm run db:migrate` picks it from DATABASE_URL).
import path from 'node:path';
import pg from 'pg';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';
import { databaseUrlFromEnv } from '../src/db/database-url.js';

// Migrate reads pg_catalog columns of type `name` (OID 19), which @prisma/adapter-pg 6.x
// cannot map (prisma/orm#27403: "Column type 'name' could not be deserialized"). Their
// values already arrive as strings, so reporting them as `text` (OID 25) is exact. This
// client is used only by the Migrate configuration; the app's own client is untouched.
const NAME_OID = 19;
const TEXT_OID = 25;

type FieldsResult = { fields?: { dataTypeID: number }[] };

function nameColumnsAsText<T>(result: T): T {
  for (const field of (result as FieldsResult)?.fields ?? []) {
    if (field.dataTypeID === NAME_OID) field.dataTypeID = TEXT_OID;
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
    const pending = (super.query as (...a: unknown[]) => unknown)(...args);
    if (pending && typeof (pending as Promise<unknown>).then === 'function') {
      return (pending as Promise<unknown>).then(nameColumnsAsText) as never;
    }
    return pending as never;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('postgresql', 'schema.prisma'),
  migrations: { path: path.join('postgresql', 'migrations') },
  async adapter() {
    const pool = new pg.Pool({ connectionString: databaseUrlFromEnv(), Client: MigrateClient });
    return new PrismaPg(pool);
  },
});
