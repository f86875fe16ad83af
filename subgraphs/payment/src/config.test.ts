import { ConfigError } from '@sky/config';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const base = {
  JWT_PUBLIC_KEY: 'pem',
  INTERNAL_API_TOKEN: 'x'.repeat(32),
  SKY_MODE: 'embedded',
};
const provider = {
  PAYMENT_PROVIDER_URL: 'http://127.0.0.1:4010/',
  PAYMENT_WEBHOOK_SECRET: 's'.repeat(32),
};

describe('loadConfig', () => {
  it('reads the provider settings with their defaults', () => {
    const config = loadConfig({ ...base, ...provider });
    expect(config.payment).toEqual({
      provider: {
        url: 'http://127.0.0.1:4010',
        webhookSecret: 's'.repeat(32),
        callbackUrl: null,
        timeoutMs: 5000,
      },
      webhookToleranceSeconds: 300,
      reconcileAfterSeconds: 300,
      allowTestOutcome: true,
    });
  });

  it('runs without a provider outside production', () => {
    expect(loadConfig(base).payment.provider).toBeNull();
  });

  it('requires the provider in production and refuses test outcomes there', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow(ConfigError);
    const config = loadConfig({ ...base, ...provider, NODE_ENV: 'production' });
    expect(config.payment.allowTestOutcome).toBe(false);
  });

  it('refuses a short secret and a half-configured provider', () => {
    expect(() => loadConfig({ ...base, ...provider, PAYMENT_WEBHOOK_SECRET: 'short' })).toThrow(
      /PAYMENT_WEBHOOK_SECRET/,
    );
    expect(() =>
      loadConfig({ ...base, PAYMENT_PROVIDER_URL: provider.PAYMENT_PROVIDER_URL }),
    ).toThrow(/both or neither/);
  });

  it('takes an explicit callback URL', () => {
    const config = loadConfig({
      ...base,
      ...provider,
      PAYMENT_CALLBACK_URL: 'http://payment:4004/webhooks/sandbox',
    });
    expect(config.payment.provider?.callbackUrl).toBe('http://payment:4004/webhooks/sandbox');
  });
});
