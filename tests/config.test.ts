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

  it('reads the production settings, with limits on by default and CORS off', () => {
    expect(loadConfig({})).toMatchObject({ CORS_ORIGINS: [], RATE_LIMIT_MAX: 600, RATE_LIMIT_WINDOW: 60_000, BODY_LIMIT: 1_048_576, TRUST_PROXY: false });
    const config = loadConfig({
      CORS_ORIGINS: 'https://a.example, http://localhost:5173',
      RATE_LIMIT_MAX: '0',
      RATE_LIMIT_WINDOW: '30s',
      REDIS_URL: 'redis://cache:6379',
      TRUST_PROXY: 'true',
    });
    expect(config).toMatchObject({ CORS_ORIGINS: ['https://a.example', 'http://localhost:5173'], RATE_LIMIT_MAX: 0, RATE_LIMIT_WINDOW: 30_000, REDIS_URL: 'redis://cache:6379', TRUST_PROXY: true });
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }).TRUST_PROXY).toBe('10.0.0.0/8,127.0.0.1');
    expect(loadConfig({ RATE_LIMIT_WINDOW: '2m' }).RATE_LIMIT_WINDOW).toBe(120_000);
  });

  it('drains for a second after a shutdown signal, then waits up to 10 s for in-flight requests', () => {
    expect(loadConfig({})).toMatchObject({ SHUTDOWN_DRAIN_MS: 1_000, SHUTDOWN_TIMEOUT_MS: 10_000 });
    expect(loadConfig({ SHUTDOWN_DRAIN_MS: '0', SHUTDOWN_TIMEOUT_MS: '25000' })).toMatchObject({ SHUTDOWN_DRAIN_MS: 0, SHUTDOWN_TIMEOUT_MS: 25_000 });
  });

  it.each([
    [{ SHUTDOWN_DRAIN_MS: '-1' }, 'SHUTDOWN_DRAIN_MS'],
    [{ SHUTDOWN_DRAIN_MS: '1s' }, 'SHUTDOWN_DRAIN_MS'],
    [{ SHUTDOWN_TIMEOUT_MS: '0' }, 'SHUTDOWN_TIMEOUT_MS'],
    [{ CORS_ORIGINS: 'example.org' }, 'CORS_ORIGINS'],
    [{ RATE_LIMIT_MAX: '-1' }, 'RATE_LIMIT_MAX'],
    [{ RATE_LIMIT_WINDOW: 'soon' }, 'RATE_LIMIT_WINDOW'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ BODY_LIMIT: '0' }, 'BODY_LIMIT'],
    [{ TRUST_PROXY: '1' }, 'TRUST_PROXY'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/ledger' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ SEED_ON_START: 'maybe' }, 'SEED_ON_START'],
  ])('fails fast on %o, naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${variable}:`));
  });
});
