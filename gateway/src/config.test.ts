import { ConfigError } from '@sky/config';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('gateway NODE_ENV', () => {
  it('must be explicit in server mode (the default) and defaults to development when embedded', () => {
    expect(() => loadConfig({ JWT_PUBLIC_KEY: 'pem' })).toThrow(ConfigError);
    expect(loadConfig({ JWT_PUBLIC_KEY: 'pem', NODE_ENV: 'production' }).production).toBe(true);
    expect(loadConfig({ JWT_PUBLIC_KEY: 'pem', SKY_MODE: 'embedded' }).production).toBe(false);
  });
});
