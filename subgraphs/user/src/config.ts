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
      LOGIN_MAX_FAILURES: positiveInt(5),
      LOGIN_FAILURE_WINDOW_SECONDS: positiveInt(900),
      LOGIN_LOCK_SECONDS: positiveInt(900),
    },
    { ...env, JWT_PRIVATE_KEY: readPem(env, 'JWT_PRIVATE_KEY') },
  );
  return {
    ...base,
    jwtPrivateKeyPem: own.JWT_PRIVATE_KEY,
    accessTokenTtlSeconds: own.ACCESS_TOKEN_TTL_SECONDS,
    auth: {
      password: { memoryKiB: own.ARGON2_MEMORY_KIB, timeCost: own.ARGON2_TIME_COST },
      refreshTokenTtlSeconds: own.REFRESH_TOKEN_TTL_SECONDS,
      throttle: {
        maxFailures: own.LOGIN_MAX_FAILURES,
        windowSeconds: own.LOGIN_FAILURE_WINDOW_SECONDS,
        lockSeconds: own.LOGIN_LOCK_SECONDS,
      },
    },
  };
}
