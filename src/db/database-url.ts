// Which database a DATABASE_URL names, shared by the app and the Prisma CLI configuration.
import path from 'node:path';

export const DEFAULT_DATABASE_URL = 'file:./data/ledger.db';

export type DatabaseProvider = 'sqlite' | 'postgresql';

export function databaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL && env.DATABASE_URL.trim() !== '' ? env.DATABASE_URL : DEFAULT_DATABASE_URL;
}

export function providerOf(url: string): DatabaseProvider {
  if (url.startsWith('file:')) return 'sqlite';
  if (url.startsWith('postgresql://') || url.startsWith('postgres://')) return 'postgresql';
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL), got "${url.split(':')[0]}:"`);
}

/** The file a `file:` URL names, resolved against the working directory. */
export function sqliteFilePath(url: string): string {
  const withoutScheme = url.slice('file:'.length).replace(/^\/\//, '');
  const withoutQuery = withoutScheme.split('?')[0];
  return path.resolve(withoutQuery);
}
