import { ConfigError, loadSubgraphConfig, parseEnv, positiveInt, z, type Env } from '@sky/config';

export type PaymentSubgraphConfig = ReturnType<typeof loadConfig>;

/** Where payments go and how their callbacks are checked. */
export interface PaymentProviderSettings {
  /** The provider's API base (`http://host:port`). */
  url: string;
  /** Shared with the provider: the key of its callbacks' HMAC-SHA256 signature. */
  webhookSecret: string;
  /**
   * Where the provider sends callbacks; null means this server's own address, found when a
   * payment is created (`http://127.0.0.1:<port>/webhooks/sandbox`).
   */
  callbackUrl: string | null;
  /** Deadline of one call to the provider. */
  timeoutMs: number;
}

/**
 * The common subgraph settings (port 4004) plus the payment provider's:
 * PAYMENT_PROVIDER_URL, PAYMENT_WEBHOOK_SECRET (at least 32 characters), PAYMENT_CALLBACK_URL
 * (optional), PAYMENT_PROVIDER_TIMEOUT_MS (5000), WEBHOOK_TOLERANCE_SECONDS (300: how old a
 * callback's signed timestamp may be) and PAYMENT_RECONCILE_AFTER_SECONDS (300: when a payment
 * still pending is checked with the provider and failed if the provider has not settled it).
 *
 * The provider URL and secret are required in production. Elsewhere they may be left out
 * (a platform started without the sandbox): `payOrder` then fails and the webhook answers 503.
 */
export function loadConfig(env: Env) {
  const base = loadSubgraphConfig('payment', 4004, env);
  const parsed = parseEnv(
    {
      PAYMENT_PROVIDER_URL: z.string().url().optional(),
      PAYMENT_WEBHOOK_SECRET: z
        .string()
        .min(32, 'PAYMENT_WEBHOOK_SECRET needs at least 32 characters')
        .optional(),
      PAYMENT_CALLBACK_URL: z.string().url().optional(),
      PAYMENT_PROVIDER_TIMEOUT_MS: positiveInt(5_000),
      WEBHOOK_TOLERANCE_SECONDS: positiveInt(300),
      PAYMENT_RECONCILE_AFTER_SECONDS: positiveInt(300),
    },
    env,
  );
  const problems: string[] = [];
  if (Boolean(parsed.PAYMENT_PROVIDER_URL) !== Boolean(parsed.PAYMENT_WEBHOOK_SECRET)) {
    problems.push('PAYMENT_PROVIDER_URL and PAYMENT_WEBHOOK_SECRET: give both or neither');
  } else if (base.production && !parsed.PAYMENT_PROVIDER_URL) {
    problems.push('PAYMENT_PROVIDER_URL and PAYMENT_WEBHOOK_SECRET: required in production');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const provider: PaymentProviderSettings | null =
    parsed.PAYMENT_PROVIDER_URL && parsed.PAYMENT_WEBHOOK_SECRET
      ? {
          url: parsed.PAYMENT_PROVIDER_URL.replace(/\/+$/, ''),
          webhookSecret: parsed.PAYMENT_WEBHOOK_SECRET,
          callbackUrl: parsed.PAYMENT_CALLBACK_URL ?? null,
          timeoutMs: parsed.PAYMENT_PROVIDER_TIMEOUT_MS,
        }
      : null;
  return {
    ...base,
    payment: {
      provider,
      webhookToleranceSeconds: parsed.WEBHOOK_TOLERANCE_SECONDS,
      reconcileAfterSeconds: parsed.PAYMENT_RECONCILE_AFTER_SECONDS,
      /** `payOrder`'s `testOutcome` is accepted only outside production. */
      allowTestOutcome: !base.production,
    },
  };
}
