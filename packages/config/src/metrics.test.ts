import { describe, expect, it } from 'vitest';
import { loadSubgraphConfig } from './service.ts';

const base = {
  NODE_ENV: 'production',
  JWT_PUBLIC_KEY: 'pem',
  INTERNAL_API_TOKEN: 'x'.repeat(32),
  DATABASE_URL: 'postgres://127.0.0.1:5432/sky',
  REDIS_URL: 'redis://127.0.0.1:6379',
};
const metricsOf = (env: Record<string, string>) =>
  loadSubgraphConfig('order', 4003, { ...base, ...env }).metrics;

describe('metrics settings', () => {
  it('are on without a token by default, with 200 operation names kept', () => {
    expect(metricsOf({})).toEqual({ enabled: true, token: null, maxOperationNames: 200 });
  });

  it('read an empty METRICS_TOKEN (compose without one in .env) as no token', () => {
    expect(metricsOf({ METRICS_TOKEN: '' }).token).toBeNull();
  });

  it('refuse a token too short to be a secret, and take a long one', () => {
    expect(() => metricsOf({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN needs at least 16/);
    expect(metricsOf({ METRICS_TOKEN: 'a-metrics-token-0123' }).token).toBe('a-metrics-token-0123');
  });

  it('turn off with METRICS_ENABLED=false', () => {
    expect(metricsOf({ METRICS_ENABLED: 'false' }).enabled).toBe(false);
  });
});
