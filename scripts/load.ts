// `npm run load -- [--db postgresql|sqlite] [--instances 2] [--clients 100] [--duration 60]`:
// migrates and seeds a scratch database, starts API processes on it, drives them with
// concurrent clients mixing reads and writes (tests/load/load-run.ts), then checks that
// every acknowledged write is stored exactly once. Exits non-zero on any 5xx, failed
// connection or write anomaly. The test suite runs a short form (tests/load/).
import { parseArgs } from 'node:util';
import { loadSeed } from '../seed/load-seed.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { connectDatabase } from '../src/db/prisma.js';
import { createServices } from '../src/services.js';
import { emptyDatabase } from '../tests/helpers/databases.js';
import { startServer } from '../tests/helpers/server.js';
import { checkWrites, percentile, runLoad } from '../tests/load/load-run.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'postgresql' },
    instances: { type: 'string', default: '2' },
    clients: { type: 'string', default: '100' },
    duration: { type: 'string', default: '60' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('%s', 'usage: npm run load -- [--db postgresql|sqlite] [--instances 2] [--clients 100] [--duration 60]\n  two API processes (by default) on one scratch database, clients mixing reads and writes;\n  exits non-zero on any 5xx, failed connection, or write lost or stored twice');
  process.exit(0);
}
const provider = values.db === 'sqlite' ? 'sqlite' : 'postgresql';

const scratch = await emptyDatabase(provider);
const servers: Awaited<ReturnType<typeof startServer>>[] = [];
let failed = true;
try {
  await migrateDatabase(scratch.url);
  const database = await connectDatabase(scratch.url);
  await loadSeed(createServices(database));
  const { key } = await createServices(database).apiKeys.create({ name: 'load', scopes: ['read', 'write'] });
  const env = { MIGRATE_ON_START: 'false', SEED_ON_START: 'false', RATE_LIMIT_MAX: '0', LOG_LEVEL: 'info' };
  for (let i = 0; i < Number(values.instances); i += 1) servers.push(await startServer(scratch.url, env));
  console.log(`${servers.length} instances on ${provider}: ${servers.map((s) => s.base).join(', ')}; ${values.clients} clients for ${values.duration} s`);

  const result = await runLoad({ instances: servers.map((s) => s.base), writeKey: key, clients: Number(values.clients), durationMs: Number(values.duration) * 1000 });
  const rows = await database.prisma.event.findMany({
    where: { title: { startsWith: `load ${result.run} ` }, deletedAt: null },
    select: { id: true, title: true, version: true },
  });
  const problems = checkWrites(result, rows);
  await database.close();

  const seconds = result.durationMs / 1000;
  console.log(`requests      ${result.requests} in ${seconds.toFixed(1)} s (${(result.requests / seconds).toFixed(0)}/s)`);
  console.log(`mix           ${result.reads} reads, ${result.writes} creates, ${result.replays} idempotent replays, ${result.patches} conditional edits`);
  console.log(`statuses      ${JSON.stringify(result.statuses)}`);
  console.log(`latency       p50 ${percentile(result.latencies, 50).toFixed(1)} ms, p95 ${percentile(result.latencies, 95).toFixed(1)} ms, p99 ${percentile(result.latencies, 99).toFixed(1)} ms`);
  console.log(`5xx           ${result.serverErrors}`);
  console.log(`failed conns  ${result.networkErrors}`);
  console.log(`writes        ${result.acknowledged.size} acknowledged records, ${rows.length} stored, ${problems.length} anomalies`);
  for (const line of [...result.unexpected, ...problems].slice(0, 20)) console.log(`  ${line}`);
  failed = result.serverErrors > 0 || result.networkErrors > 0 || result.unexpected.length > 0 || problems.length > 0;
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  await scratch.drop();
}
console.log(failed ? 'LOAD TEST FAILED' : 'load test passed');
process.exit(failed ? 1 : 0);
