import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';

// The container files, read as the engine would read them: no Docker runs here (CI runs
// `docker-compose config -q` for the syntax), so these check what the stack must be.

const root = path.resolve(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, string> | string[];
  ports?: unknown[];
  expose?: unknown[];
  volumes?: (string | { source?: string; target?: string })[];
  healthcheck?: { test?: string | string[] };
  depends_on?: Record<string, { condition?: string }> | string[];
  restart?: string;
  stop_grace_period?: string;
  deploy?: { replicas?: number };
  networks?: Record<string, { ipv4_address?: string } | null> | string[];
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const services = compose.services;

function env(service: Service): Record<string, string> {
  const entries = Array.isArray(service.environment)
    ? service.environment.map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string])
    : Object.entries(service.environment ?? {});
  return Object.fromEntries(entries.map(([key, value]) => [key, String(value)]));
}

const commandText = (service: Service) => [service.command ?? []].flat().join(' ');
const byImage = (pattern: RegExp) => Object.entries(services).filter(([, s]) => pattern.test(s.image ?? ''));
const dependsOn = (service: Service, name: string) =>
  Array.isArray(service.depends_on) ? undefined : service.depends_on?.[name]?.condition;

/** The services that run the API itself: built from this repository, no command of their own. */
const apiServices = Object.entries(services).filter(([, s]) => s.build !== undefined && s.command === undefined);
const [migrateName, migrate] = Object.entries(services).find(([, s]) => /db:migrate/.test(commandText(s))) ?? [];

describe('docker-compose.yml', () => {
  it('runs PostgreSQL with a named volume for its data and a healthcheck', () => {
    const [[name, db]] = byImage(/^postgres(:|$)/);
    expect(db.healthcheck?.test, name).toBeTruthy();
    const mounts = (db.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':').slice(0, 2) : [v.source, v.target]));
    const data = mounts.find(([, target]) => target === '/var/lib/postgresql/data');
    expect(data, 'a volume on /var/lib/postgresql/data').toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(data![0]);
  });

  it('migrates once, in a one-shot service that waits for a healthy database', () => {
    expect(migrate, 'a service whose command runs npm run db:migrate').toBeDefined();
    expect(migrate!.build).toBeDefined();
    expect(migrate!.restart ?? 'no').toBe('no');
    expect(migrate!.ports).toBeUndefined();
    const db = byImage(/^postgres(:|$)/)[0][0];
    expect(dependsOn(migrate!, db)).toBe('service_healthy');
    expect(env(migrate!).DATABASE_URL).toMatch(new RegExp(`^postgresql://[^@]+@${db}:5432/`));
  });

  it('runs two API replicas that start only after the migration succeeded and never migrate themselves', () => {
    const replicas = apiServices.reduce((sum, [, s]) => sum + (s.deploy?.replicas ?? 1), 0);
    expect(replicas).toBe(2);
    const db = byImage(/^postgres(:|$)/)[0][0];
    const [[redis]] = byImage(/^redis(:|$)/);
    const [[, lb]] = byImage(/^nginx(:|$)/);
    const lbAddress = Array.isArray(lb.networks) ? undefined : lb.networks?.default?.ipv4_address;
    expect(lbAddress, 'nginx has a fixed address on the compose network').toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    for (const [name, api] of apiServices) {
      expect(dependsOn(api, migrateName!), name).toBe('service_completed_successfully');
      expect(dependsOn(api, db), name).toBe('service_healthy');
      const vars = env(api);
      expect(vars.MIGRATE_ON_START, name).toBe('false');
      expect(vars.SEED_ON_START, name).toBe('false');
      expect(vars.DATABASE_URL, name).toMatch(new RegExp(`^postgresql://[^@]+@${db}:5432/`));
      expect(vars.REDIS_URL, name).toBe(`redis://${redis}:6379`);
      // Only nginx's fixed address is trusted: with `true` a client could send X-Forwarded-For
      // and choose its own address (and its own rate-limit bucket).
      expect(vars.TRUST_PROXY, name).toBe(lbAddress);
    }
  });

  it('gives each replica time to drain and finish its requests before Docker kills it', () => {
    const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
    for (const [name, api] of apiServices) {
      const parts = [...String(api.stop_grace_period ?? '10s').matchAll(/(\d+)(ms|s|m|h)/g)];
      const graceMs = parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_MS[unit], 0);
      // Compose interpolates the other variables (${LOG_LEVEL:-info}...); these it sets plainly, if at all.
      const config = loadConfig(Object.fromEntries(Object.entries(env(api)).filter(([key]) => key.startsWith('SHUTDOWN_'))));
      expect(graceMs, name).toBeGreaterThan(config.SHUTDOWN_DRAIN_MS + config.SHUTDOWN_TIMEOUT_MS);
    }
  });

  it('puts nginx in front of every replica, passing the client address and request id', () => {
    const [[lbName, lb]] = byImage(/^nginx(:|$)/);
    const mount = (lb.volumes ?? []).find((v) => typeof v === 'string' && v.startsWith('./deploy/nginx.conf:')) as string;
    expect(mount, 'deploy/nginx.conf mounted into nginx').toBeDefined();
    const conf = read('deploy/nginx.conf');
    for (const [name] of apiServices) {
      expect(conf, `upstream server ${name}`).toMatch(new RegExp(`server\\s+${name}:3000\\b`));
      expect(dependsOn(lb, name), `${lbName} waits for ${name}`).toBe('service_healthy');
    }
    expect(conf).toMatch(/proxy_pass\s+http:\/\/\w+;/);
    expect(conf).toMatch(/proxy_set_header\s+X-Forwarded-For\s+\$proxy_add_x_forwarded_for;/);
    expect(conf).toMatch(/proxy_set_header\s+X-Request-Id\s+\$\w+;/);
    expect(conf, '/metrics is not served to the public').toMatch(/location\s*=\s*\/metrics\s*\{\s*return\s+404;\s*\}/);
  });

  it('runs Redis for the shared rate limits, with a healthcheck', () => {
    const [[name, redis]] = byImage(/^redis(:|$)/);
    expect(redis.healthcheck?.test, name).toBeTruthy();
  });

  it('publishes a port on the load balancer only', () => {
    const published = Object.entries(services).filter(([, s]) => (s.ports ?? []).length > 0).map(([name]) => name);
    expect(published).toEqual(byImage(/^nginx(:|$)/).map(([name]) => name));
  });
});

/** The Dockerfile's stages: base image, stage name and instructions ("KEYWORD args"). */
function dockerStages(text: string): { from: string; name?: string; lines: string[] }[] {
  const stages: { from: string; name?: string; lines: string[] }[] = [];
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ from: from[1], name: from[2], lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

describe('Dockerfile', () => {
  const stages = dockerStages(read('Dockerfile'));
  const runtime = stages.at(-1)!;
  const instructions = (keyword: string) => runtime.lines.filter((l) => l.toUpperCase().startsWith(`${keyword} `));

  it('builds in one stage and runs a slim image with production dependencies only', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(runtime.from).toMatch(/^node:20[\w.-]*-slim$/);
    const build = stages.slice(0, -1).flatMap((s) => s.lines).join('\n');
    expect(build).toMatch(/npm ci\b/);
    expect(build).toMatch(/npm prune --omit=dev|npm ci [^\n]*--omit=dev/);
    expect(runtime.lines.join('\n')).not.toMatch(/npm (ci|install)\b(?![^\n]*--omit=dev)/);
  });

  it('runs as a non-root user', () => {
    const user = instructions('USER').at(-1);
    expect(user).toBeDefined();
    expect(user!.split(/\s+/)[1]).not.toMatch(/^(root|0)(:|$)/);
  });

  it('checks health on /readyz', () => {
    expect(instructions('HEALTHCHECK').join('\n')).toMatch(/\/readyz/);
  });

  it('keeps host state out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', 'src/generated', '.env', 'data']) expect(ignored).toContain(entry);
  });

  it('copies everything the server, the CLIs and the migration import, and those need production dependencies only', () => {
    const copied = new Set(instructions('COPY').flatMap((l) => l.split(/\s+/).slice(1, -1)).filter((a) => !a.startsWith('--')).map((a) => a.replace(/^\/app\//, '')));
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    const builtins = new Set(builtinModules);
    const seen = new Set<string>();
    // The server, every operator CLI (db, apikey, import...) and the Prisma configs Migrate loads.
    const clis = readdirSync(path.join(root, 'src', 'cli')).filter((f) => f.endsWith('.ts')).map((f) => `src/cli/${f}`);
    const queue = ['src/server.ts', ...clis, 'prisma/sqlite.config.ts', 'prisma/postgresql.config.ts'];
    const packages = new Set<string>();
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      expect(copied.has(file.split('/')[0]), `${file} is copied into the runtime image`).toBe(true);
      const source = read(file);
      const specifiers = [
        ...source.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^;]*?\bfrom\s+['"]([^'"]+)['"]/gm),
        ...source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
        ...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
      ].map((m) => m[1]);
      for (const specifier of specifiers) {
        if (specifier.startsWith('.')) {
          const base = path.join(path.dirname(file), specifier);
          const target = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, path.join(base, 'index.ts')].find((f) => existsSync(path.join(root, f)));
          expect(target, `${specifier} imported by ${file}`).toBeDefined();
          queue.push(target!);
        } else if (!builtins.has(specifier) && !specifier.startsWith('node:')) {
          packages.add(specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'));
        }
      }
    }
    expect(seen.size).toBeGreaterThan(20);
    for (const name of packages) expect(Object.keys(pkg.dependencies), `${name} must be a dependency, not a devDependency`).toContain(name);
    // npm start and the migration run through tsx and the Prisma CLI.
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['tsx', 'prisma']));
  });
});
