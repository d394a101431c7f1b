import { inject } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { connectDatabase, type Database } from '../../src/db/prisma.js';
import { createServices, type Services } from '../../src/services.js';
import { cloneDatabase } from './databases.js';

export interface TestApp {
  app: App;
  database: Database;
  services: Services;
  url: string;
  close(): Promise<void>;
}

/** The real app on a fresh copy of the seeded database. */
export async function seededApp(options: { readRequiresKey?: boolean } = {}): Promise<TestApp> {
  const scratch = await cloneDatabase(inject('templateDatabaseUrl'));
  const database = await connectDatabase(scratch.url);
  const app = await buildApp({ database, ...options });
  return {
    app,
    database,
    services: createServices(database),
    url: scratch.url,
    async close() {
      await app.close();
      await database.close();
      await scratch.drop();
    },
  };
}

/** GET through app.inject, parsed. */
export async function getJson<T = any>(app: App, url: string, headers: Record<string, string> = {}) {
  const response = await app.inject({ method: 'GET', url, headers });
  return { status: response.statusCode, headers: response.headers, body: response.body ? (JSON.parse(response.body) as T) : (undefined as T) };
}

/** Follows links.next from `url` and returns every record of every page. */
export async function walkPages<T = any>(app: App, url: string): Promise<{ records: T[]; pages: number; total: number }> {
  const records: T[] = [];
  let next: string | null = url;
  let pages = 0;
  let total = -1;
  while (next) {
    const { status, body }: { status: number; body: any } = await getJson(app, next);
    if (status !== 200) throw new Error(`GET ${next} answered ${status}: ${JSON.stringify(body)}`);
    records.push(...body.data);
    total = body.meta.total;
    next = body.links.next;
    pages += 1;
    if (pages > 10_000) throw new Error('pagination does not end');
  }
  return { records, pages, total };
}
