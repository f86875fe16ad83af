import { z } from 'zod';
import { positiveInt } from './env.ts';

/**
 * How every service meets failures of what it calls (subgraphs, internal endpoints, the payment
 * provider): a time budget per request, circuit breakers per target, retries of idempotent reads.
 */
export interface ResilienceSettings {
  /**
   * A request's whole budget, in milliseconds. The gateway starts it; each hop passes on what is
   * left in `x-request-timeout-ms`, and a subgraph takes the smaller of that and its own budget.
   */
  requestTimeoutMs: number;
  breaker: {
    /** How long an open breaker fails fast before it lets one trial call through. */
    resetTimeoutMs: number;
    /** Share of failed calls in the rolling window (10 s) that opens the breaker. */
    errorThresholdPercentage: number;
    /** Calls in the window before the share counts: one failure alone never opens it. */
    volumeThreshold: number;
  };
  /**
   * On SIGTERM: how long in-flight HTTP requests may take to finish before their connections are
   * cut (readiness has turned false first, so no new traffic is routed here).
   */
  shutdownGraceMs: number;
  retry: {
    /** Further attempts of an idempotent read after a transport failure (0: never retry). */
    attempts: number;
    /** First backoff; each next one doubles, with full jitter, within the remaining budget. */
    baseDelayMs: number;
  };
}

/** A request's budget unless REQUEST_TIMEOUT_MS says otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

export const resilienceEnv = {
  REQUEST_TIMEOUT_MS: positiveInt(DEFAULT_REQUEST_TIMEOUT_MS),
  CIRCUIT_BREAKER_RESET_MS: positiveInt(10_000),
  CIRCUIT_BREAKER_ERROR_PERCENT: z.coerce.number().int().min(1).max(100).default(50),
  CIRCUIT_BREAKER_MIN_REQUESTS: positiveInt(5),
  RETRY_ATTEMPTS: z.coerce.number().int().min(0).max(5).default(2),
  RETRY_BASE_DELAY_MS: positiveInt(50),
  SHUTDOWN_GRACE_MS: positiveInt(10_000),
};

type ParsedResilienceEnv = z.infer<z.ZodObject<typeof resilienceEnv>>;

export function readResilienceSettings(parsed: ParsedResilienceEnv): ResilienceSettings {
  return {
    requestTimeoutMs: parsed.REQUEST_TIMEOUT_MS,
    breaker: {
      resetTimeoutMs: parsed.CIRCUIT_BREAKER_RESET_MS,
      errorThresholdPercentage: parsed.CIRCUIT_BREAKER_ERROR_PERCENT,
      volumeThreshold: parsed.CIRCUIT_BREAKER_MIN_REQUESTS,
    },
    shutdownGraceMs: parsed.SHUTDOWN_GRACE_MS,
    retry: { attempts: parsed.RETRY_ATTEMPTS, baseDelayMs: parsed.RETRY_BASE_DELAY_MS },
  };
}
