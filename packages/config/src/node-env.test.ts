import { describe, expect, it } from 'vitest';
import { ConfigError } from './env.ts';
import { loadSubgraphConfig } from './service.ts';

const base = {
  JWT_PUBLIC_KEY: 'pem',
  INTERNAL_API_TOKEN: 'x'.repeat(32),
  DATABASE_URL: 'postgres://127.0.0.1:5432/sky',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

describe('NODE_ENV', () => {
  it('must be explicit in server mode: forgetting it does not mean development', () => {
    expect(() => loadSubgraphConfig('user', 4001, { ...base, SKY_MODE: 'server' })).toThrow(
      /NODE_ENV: required in server mode/,
    );
    expect(() => loadSubgraphConfig('user', 4001, { ...base, SKY_MODE: 'server' })).toThrow(
      ConfigError,
    );
    const production = loadSubgraphConfig('user', 4001, { ...base, NODE_ENV: 'production' });
    expect(production.production).toBe(true);
  });

  it('stays a development default in embedded mode', () => {
    const embedded = loadSubgraphConfig('user', 4001, { ...base, SKY_MODE: 'embedded' });
    expect(embedded.production).toBe(false);
  });
});
