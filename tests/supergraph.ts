import type { Role } from '@sky/auth';
import type { Env } from '@sky/config';
import { startPlatform, type Platform } from '@sky/embedded';
import { createLogger } from '@sky/logging';
import {
  createTestDatabase,
  SUBGRAPH_NAMES,
  TEST_ENV,
  testSettings,
  tokenSigner,
  type TestDatabase,
} from '@sky/testkit';

export interface TestSupergraph extends Platform {
  databases: Record<string, TestDatabase>;
  /** Signs an access token with the platform's own key (as the user subgraph would). */
  tokenFor(claims: { userId: string; roles: Role[]; merchantId?: string | null }): string;
}

/**
 * The whole supergraph in server mode: one fresh PostgreSQL database per subgraph (from the
 * templates), the machine's Redis, the demo dataset seeded, random ports.
 */
export async function startTestSupergraph(
  options: { env?: Env; seed?: boolean; redisUrl?: string } = {},
): Promise<TestSupergraph> {
  const databases: Record<string, TestDatabase> = {};
  for (const name of SUBGRAPH_NAMES) databases[name] = await createTestDatabase(name);
  try {
    const platform = await startPlatform({
      storage: {
        mode: 'server',
        databaseUrls: Object.fromEntries(Object.entries(databases).map(([k, db]) => [k, db.url])),
        redisUrl: options.redisUrl ?? testSettings.TEST_REDIS_URL,
      },
      seed: options.seed ?? true,
      gatewayPort: 0,
      host: '127.0.0.1',
      env: { ...TEST_ENV, ...options.env },
      logger: createLogger('test', 'silent'),
    });
    const signer = tokenSigner(platform.keys);
    return {
      ...platform,
      databases,
      tokenFor: (claims) => signer.signAccessToken({ merchantId: null, ...claims }).token,
      stop: async () => {
        await platform.stop();
        for (const db of Object.values(databases)) await db.drop();
      },
    };
  } catch (error) {
    for (const db of Object.values(databases)) await db.drop();
    throw error;
  }
}
