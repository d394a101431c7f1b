// `npm run apikey -- create|list|revoke`: manage the API keys that guard writes (and
// reads, with READ_REQUIRES_KEY). Migrates first, so it works on a fresh database.
// The key is printed once by `create` and exists nowhere else afterwards.
import { loadConfig } from '../config.js';
import { migrateDatabase } from '../db/migrate.js';
import { connectDatabase } from '../db/prisma.js';
import { DomainError, InvalidInputError } from '../domain/errors.js';
import { createApiKeysRepository } from '../modules/api-keys/api-keys.repository.js';
import { createApiKeysService, type ApiKeysService } from '../modules/api-keys/api-keys.service.js';

const USAGE = [
  'usage: npm run apikey -- create --name NAME --scopes read[,write]',
  '       npm run apikey -- list',
  '       npm run apikey -- revoke NAME_OR_ID',
].join('\n');

class UsageError extends Error {}

type Command =
  | { command: 'create'; name: string; scopes: string[] }
  | { command: 'list' }
  | { command: 'revoke'; nameOrId: string }
  | { command: 'help' };

/** `--flag value` and `--flag=value`; anything unexpected is a usage error. */
function parseFlags(args: string[], known: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const flag = arg.slice(2, eq === -1 ? undefined : eq);
    if (!known.includes(flag)) throw new UsageError(`unknown option --${flag}`);
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${flag} needs a value`);
      i += 1;
    }
    if (flag in flags) throw new UsageError(`--${flag} is given twice`);
    flags[flag] = value;
  }
  return flags;
}

function parseArgs(argv: string[]): Command {
  const [command, ...rest] = argv;
  switch (command) {
    case 'create': {
      const flags = parseFlags(rest, ['name', 'scopes']);
      if (flags.name === undefined) throw new UsageError('create needs --name NAME');
      if (flags.scopes === undefined) throw new UsageError('create needs --scopes, e.g. --scopes read or --scopes read,write');
      const scopes = flags.scopes
        .split(',')
        .map((scope) => scope.trim())
        .filter((scope) => scope !== '');
      return { command: 'create', name: flags.name, scopes };
    }
    case 'list':
      if (rest.length > 0) throw new UsageError(`list takes no arguments, got "${rest.join(' ')}"`);
      return { command: 'list' };
    case 'revoke':
      if (rest.length !== 1 || rest[0].startsWith('--')) throw new UsageError('revoke needs exactly one NAME_OR_ID');
      return { command: 'revoke', nameOrId: rest[0] };
    case 'help':
    case '--help':
    case '-h':
      return { command: 'help' };
    case undefined:
      throw new UsageError('no command given');
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

async function run(command: Exclude<Command, { command: 'help' }>, apiKeys: ApiKeysService): Promise<void> {
  if (command.command === 'create') {
    const created = await apiKeys.create({ name: command.name, scopes: command.scopes });
    console.log(`Created API key "${created.name}" (id ${created.id}) with the scopes ${created.scopes.join(',')}:`);
    console.log('');
    console.log(`  ${created.key}`);
    console.log('');
    console.log('Copy it now: it will not be shown again (only its hash is stored).');
    console.log('Send it as `Authorization: Bearer <key>`.');
    return;
  }
  if (command.command === 'list') {
    const keys = await apiKeys.list();
    if (keys.length === 0) {
      console.log('No API keys yet. Create one with `npm run apikey -- create --name NAME --scopes read,write`.');
      return;
    }
    const rows = keys.map((key) => [key.name, `cl_${key.prefix}`, key.scopes.join(','), key.created_at, key.revoked_at ?? '-']);
    console.log(table(['NAME', 'PREFIX', 'SCOPES', 'CREATED', 'REVOKED'], rows));
    return;
  }
  const revoked = await apiKeys.revoke(command.nameOrId);
  console.log(`Revoked API key "${revoked.name}" (cl_${revoked.prefix}, id ${revoked.id}) at ${revoked.revoked_at}.`);
}

async function main(argv: string[]): Promise<void> {
  const command = parseArgs(argv);
  if (command.command === 'help') {
    console.log(USAGE);
    return;
  }
  const config = loadConfig();
  const applied = await migrateDatabase(config.DATABASE_URL);
  // stderr, so stdout holds only the answer (and `create`'s key) for scripts.
  if (applied.length > 0) console.error(`Applied migrations: ${applied.join(', ')}`);
  const database = await connectDatabase(config.DATABASE_URL);
  try {
    await run(command, createApiKeysService(createApiKeysRepository(database.prisma)));
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`apikey: ${error.message}`);
    console.error(USAGE);
  } else if (error instanceof DomainError) {
    console.error(`apikey: ${error.message}`);
    if (error instanceof InvalidInputError) for (const e of error.errors) console.error(`  ${e.path}: ${e.message}`);
    if (error.kind === 'not_found') console.error('See the keys with `npm run apikey -- list`.');
    console.error(USAGE);
  } else {
    console.error(`apikey: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
