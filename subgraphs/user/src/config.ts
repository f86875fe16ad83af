import { loadSubgraphConfig, parseEnv, positiveInt, readPem, z, type Env } from '@sky/config';

export type UserSubgraphConfig = ReturnType<typeof loadConfig>;

/** The user subgraph also signs tokens, so it alone reads the private key. */
export function loadConfig(env: Env) {
  const base = loadSubgraphConfig('user', 4001, env);
  const own = parseEnv(
    {
      JWT_PRIVATE_KEY: z.string().min(1, 'JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE is required'),
      ACCESS_TOKEN_TTL_SECONDS: positiveInt(900),
      REFRESH_TOKEN_TTL_SECONDS: positiveInt(30 * 24 * 3600),
      ARGON2_MEMORY_KIB: positiveInt(19_456),
      ARGON2_TIME_COST: positiveInt(2),
      ARGON2_MAX_CONCURRENCY: positiveInt(1),
      LOGIN_MAX_FAILURES: positiveInt(5),
      LOGIN_FAILURE_WINDOW_SECONDS: positiveInt(900),
      LOGIN_BACKOFF_MAX_SECONDS: positiveInt(900),
      LOGIN_ACCOUNT_MAX_FAILURES: positiveInt(50),
      LOGIN_ACCOUNT_BACKOFF_MAX_SECONDS: positiveInt(30),
      LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE: positiveInt(30),
      REGISTRATIONS_PER_ADDRESS_PER_HOUR: positiveInt(20),
    },
    { ...env, JWT_PRIVATE_KEY: readPem(env, 'JWT_PRIVATE_KEY') },
  );
  return {
    ...base,
    jwtPrivateKeyPem: own.JWT_PRIVATE_KEY,
    accessTokenTtlSeconds: own.ACCESS_TOKEN_TTL_SECONDS,
    auth: {
      password: {
        memoryKiB: own.ARGON2_MEMORY_KIB,
        timeCost: own.ARGON2_TIME_COST,
        maxConcurrency: own.ARGON2_MAX_CONCURRENCY,
      },
      refreshTokenTtlSeconds: own.REFRESH_TOKEN_TTL_SECONDS,
    },
    signInThrottle: {
      loginAttemptsPerAddressPerMinute: own.LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE,
      registrationsPerAddressPerHour: own.REGISTRATIONS_PER_ADDRESS_PER_HOUR,
      maxFailures: own.LOGIN_MAX_FAILURES,
      failureWindowSeconds: own.LOGIN_FAILURE_WINDOW_SECONDS,
      backoffMaxSeconds: own.LOGIN_BACKOFF_MAX_SECONDS,
      accountMaxFailures: own.LOGIN_ACCOUNT_MAX_FAILURES,
      accountBackoffMaxSeconds: own.LOGIN_ACCOUNT_BACKOFF_MAX_SECONDS,
    },
  };
}
