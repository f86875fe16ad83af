import { parseEnv, z } from '@sky/config';

/** Where the test suite finds PostgreSQL and Redis (this machine's by default). */
export const testSettings = parseEnv(
  {
    TEST_POSTGRES_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/postgres'),
    TEST_REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  },
  process.env,
);
