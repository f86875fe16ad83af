import { rateLimited } from '@sky/errors';
import type { GraphQLError } from 'graphql';
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

export type { RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * Rate limiters (rate-limiter-flexible) shared by every instance of a service through Redis in
 * server mode, in memory when embedded (one process: memory is the whole platform). Should Redis
 * fail, each limiter falls back to its own memory (its "insurance") rather than letting every
 * request through or refusing every one.
 */
export interface RateLimiterStore {
  limiter(name: string, options: { points: number; durationSeconds: number }): RateLimiterAbstract;
  close(): Promise<void>;
}

export function createRateLimiterStore(options: {
  redisUrl: string | null;
  /** Separates platforms sharing one Redis (the event namespace). */
  namespace: string;
}): RateLimiterStore {
  // rate-limiter-flexible's advice: no offline queue, so a Redis outage fails fast to insurance.
  const redis = options.redisUrl
    ? new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
    : null;
  redis?.on('error', () => {
    // Connection errors surface as rejected limiter calls, which the insurance limiter answers.
  });
  return {
    limiter: (name, { points, durationSeconds }) => {
      const keyPrefix = `${options.namespace}:throttle:${name}`;
      const memory = new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds });
      return redis
        ? new RateLimiterRedis({
            storeClient: redis,
            keyPrefix,
            points,
            duration: durationSeconds,
            insuranceLimiter: memory,
          })
        : memory;
    },
    close: async () => {
      if (redis && redis.status !== 'end') await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Store keys never hold what the caller typed (an email, a 100 kB string): a fixed-size hash. */
export const throttleKey = (...parts: string[]): string =>
  createHash('sha256').update(parts.join('\u0000')).digest('base64url');

/** RATE_LIMITED with `retryAfterSeconds` (whole seconds, at least 1). */
export function tooManyAttempts(message: string, msBeforeNext: number): GraphQLError {
  return rateLimited(message, Math.max(1, Math.ceil(msBeforeNext / 1000)));
}

/**
 * Takes one point for `key`; a refusal becomes RATE_LIMITED. Errors other than a refusal (a
 * store failure the insurance could not absorb) propagate as unexpected.
 */
export async function consumeOrRefuse(
  limiter: RateLimiterAbstract,
  key: string,
  message: string,
): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw tooManyAttempts(message, rejection.msBeforeNext);
    throw rejection;
  }
}
