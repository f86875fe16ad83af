import { booleanFlag, commonEnv, parseEnv, port, positiveInt, z, type Env } from '@sky/config';

/** What a test (or the default setting) tells the sandbox to do with a payment. */
export const SANDBOX_OUTCOMES = ['success', 'decline', 'timeout'] as const;
export type SandboxOutcome = (typeof SANDBOX_OUTCOMES)[number];

export interface PaymentSandboxConfig {
  logLevel: z.infer<typeof commonEnv.LOG_LEVEL>;
  host: string;
  port: number;
  /** Shared with the payment subgraph: the key of the callbacks' HMAC-SHA256 signature. */
  webhookSecret: string;
  /** How long after a payment is created its callback is sent (unless the test trigger is used). */
  callbackDelayMs: number;
  /** The outcome of a payment whose request does not choose one. */
  defaultOutcome: SandboxOutcome;
  /** Deliveries of one callback before the sandbox gives up (a real provider also stops). */
  callbackMaxAttempts: number;
  /** First retry delay; it doubles per attempt, capped at one minute. */
  callbackRetryBaseMs: number;
  /** Deadline of one callback delivery. */
  callbackTimeoutMs: number;
  /**
   * Refund payments the sandbox does not know (it keeps nothing across a restart, while the
   * payment subgraph's database and the demo data do). Off, such a refund is 404 like a real
   * provider's answer for an unknown payment.
   */
  refundForgottenPayments: boolean;
}

/** Parses the sandbox's settings once, at start-up, reporting every problem at once. */
export function loadConfig(env: Env): PaymentSandboxConfig {
  const parsed = parseEnv(
    {
      LOG_LEVEL: commonEnv.LOG_LEVEL,
      HOST: z.string().default('127.0.0.1'),
      SANDBOX_PORT: port(4010),
      PAYMENT_WEBHOOK_SECRET: z
        .string()
        .min(32, 'PAYMENT_WEBHOOK_SECRET needs at least 32 characters'),
      SANDBOX_CALLBACK_DELAY_MS: z.coerce.number().int().min(0).default(2_000),
      SANDBOX_DEFAULT_OUTCOME: z.enum(SANDBOX_OUTCOMES).default('success'),
      SANDBOX_CALLBACK_MAX_ATTEMPTS: positiveInt(8),
      SANDBOX_CALLBACK_RETRY_BASE_MS: positiveInt(1_000),
      SANDBOX_CALLBACK_TIMEOUT_MS: positiveInt(5_000),
      SANDBOX_REFUND_FORGOTTEN_PAYMENTS: booleanFlag(true),
    },
    env,
  );
  return {
    logLevel: parsed.LOG_LEVEL,
    host: parsed.HOST,
    port: parsed.SANDBOX_PORT,
    webhookSecret: parsed.PAYMENT_WEBHOOK_SECRET,
    callbackDelayMs: parsed.SANDBOX_CALLBACK_DELAY_MS,
    defaultOutcome: parsed.SANDBOX_DEFAULT_OUTCOME,
    callbackMaxAttempts: parsed.SANDBOX_CALLBACK_MAX_ATTEMPTS,
    callbackRetryBaseMs: parsed.SANDBOX_CALLBACK_RETRY_BASE_MS,
    callbackTimeoutMs: parsed.SANDBOX_CALLBACK_TIMEOUT_MS,
    refundForgottenPayments: parsed.SANDBOX_REFUND_FORGOTTEN_PAYMENTS,
  };
}
