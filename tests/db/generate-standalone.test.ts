import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// `npm ci` runs `npm run db:generate` (scripts/prisma.ts, which runs the Prisma CLI on
// prisma/*.config.ts) before any Prisma client exists. If that script reaches src/generated
// through its runtime imports, a fresh clone cannot install (it happened: text-search.ts
// came to import the database client). The Dockerfile's build stage runs `npm ci` with only
// a few files copied, which must hold all it reaches. Type-only imports vanish at run time
// and do not count.

const root = path.resolve(__dirname, '..', '..');
const RUNTIME_IMPORT = /^import\s+(?!type\s)[^;]*?from\s+'(\.{1,2}\/[^']+)'/gms;

function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(RUNTIME_IMPORT)].map((match) => path.resolve(path.dirname(file), match[1]!.replace(/\.js$/, '.ts')));
}

function reachableFrom(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.includes(`${path.sep}generated${path.sep}`)) pending.push(...runtimeImports(file));
  }
  return seen;
}

describe('client generation on a fresh clone', () => {
  it('scripts/prisma.ts reaches neither the generated clients nor the database client at run time', () => {
    const reached = [...reachableFrom(path.join(root, 'scripts', 'prisma.ts'))].map((file) => path.relative(root, file));
    expect(reached).toContain(path.join('src', 'db', 'text-search-schema.ts'));
    expect(reached.filter((file) => file.startsWith(path.join('src', 'generated')) || file === path.join('src', 'db', 'prisma.ts'))).toEqual([]);
  });

  it('the Dockerfile copies every file that generation reaches before it runs npm ci', () => {
    const entries = [path.join(root, 'scripts', 'prisma.ts'), ...readdirSync(path.join(root, 'prisma')).filter((f) => f.endsWith('.config.ts')).map((f) => path.join(root, 'prisma', f))];
    const reached = new Set(entries.flatMap((entry) => [...reachableFrom(entry)]).map((file) => path.relative(root, file)));
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    const beforeInstall = dockerfile.slice(0, dockerfile.indexOf('RUN npm ci'));
    const copied = [...beforeInstall.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) => match[1].split(/\s+/));
    const uncopied = [...reached].filter((file) => !copied.some((source) => file === source || file.startsWith(`${source}/`)));
    expect(copied).toContain('scripts');
    expect(uncopied).toEqual([]);
  });

  it('notices a runtime import of the database client (the walker is not blind)', () => {
    const reached = [...reachableFrom(path.join(root, 'src', 'db', 'text-search.ts'))].map((file) => path.relative(root, file));
    expect(reached).toContain(path.join('src', 'db', 'prisma.ts'));
  });
});
