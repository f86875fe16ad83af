import { TokenSigner, type KeyPair } from '@sky/auth';
import type { Env } from '@sky/config';

/** Cheap password hashing and quiet logs for tests; argon2's real cost is a production setting. */
export const TEST_ENV: Env = {
  // Server mode needs it spelled out; tests run in server mode against PostgreSQL and Redis.
  NODE_ENV: 'test',
  INTERNAL_API_TOKEN: 'test-internal-token-0123456789abcdef',
  LOG_LEVEL: 'silent',
  ARGON2_MEMORY_KIB: '1024',
  ARGON2_TIME_COST: '1',
  // Every test signs in and registers from this machine's one address; throttling tests lower these.
  LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE: '1000000',
  REGISTRATIONS_PER_ADDRESS_PER_HOUR: '1000000',
};

export function tokenSigner(keys: KeyPair, ttlSeconds = 900): TokenSigner {
  return new TokenSigner(keys.privateKeyPem, {
    issuer: 'sky-takeout',
    audience: 'sky-takeout-api',
    accessTokenTtlSeconds: ttlSeconds,
  });
}
