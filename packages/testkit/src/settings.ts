import { parseEnv, z } from '@sky/config';

/** Where the test suite finds PostgreSQL and Redis (this machine's by default). */
export const testSettings = parseEnv(
  {
    TEST_POSTGRES_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/postgres'),
    TEST_REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
    /**
     * Each subgraph's test databases belong to its own role (`<prefix>_<subgraph>`: no superuser,
     * CONNECT on its own databases only), as in compose; the URL above is the administrator's.
     */
    TEST_DATABASE_ROLE_PREFIX: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/)
      .default('sky_test_role'),
    TEST_DATABASE_PASSWORD: z.string().min(1).default('sky-test-password'),
  },
  process.env,
);
