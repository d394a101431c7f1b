import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('defaults to the SQLite file, port 3000 and info logs', () => {
    expect(loadConfig({})).toMatchObject({
      DATABASE_URL: 'file:./data/ledger.db',
      PORT: 3000,
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      MIGRATE_ON_START: true,
      SEED_ON_START: true,
    });
  });

  it('reads PostgreSQL URLs and numbers', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://u@db:5432/ledger', PORT: '8080', SEED_ON_START: 'false' });
    expect(config).toMatchObject({ DATABASE_URL: 'postgresql://u@db:5432/ledger', PORT: 8080, SEED_ON_START: false });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/ledger' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ SEED_ON_START: 'maybe' }, 'SEED_ON_START'],
  ])('fails fast on %o, naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${variable}:`));
  });
});
