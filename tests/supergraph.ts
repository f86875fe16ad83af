import type { Role } from '@sky/auth';
import type { Env } from '@sky/config';
import { startPlatform, type Platform } from '@sky/embedded';
import { createGateway, loadConfig as loadGatewayConfig } from '@sky/gateway';
import { createUserSubgraph, loadConfig as loadUserConfig } from '@sky/subgraph-user';
import { createLogger, type DestinationStream } from '@sky/logging';
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
  options: {
    env?: Env;
    seed?: boolean;
    redisUrl?: string;
    logDestination?: DestinationStream;
  } = {},
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
      // The live demo orders only: no test here reads the 60-day history (the embedded smoke
      // test and `npm run seed` in server mode do).
      seedHistory: false,
      gatewayPort: 0,
      host: '127.0.0.1',
      env: { ...TEST_ENV, ...options.env },
      logger: createLogger('test', 'silent'),
      logDestination: options.logDestination,
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

/**
 * Beside a running (development) supergraph: a gateway in production mode over the same
 * subgraphs, and a user subgraph in production mode with a fresh database of its own, for what
 * only production does (no introspection, no `_service`, masked errors).
 */
export async function startProductionEdges(
  supergraph: TestSupergraph,
): Promise<{ gatewayUrl: string; userUrl: string; stop: () => Promise<void> }> {
  const keys = {
    JWT_PUBLIC_KEY: supergraph.keys.publicKeyPem,
    JWT_PRIVATE_KEY: supergraph.keys.privateKeyPem,
  };
  const overrides = Object.fromEntries(
    Object.entries(supergraph.subgraphUrls).map(([name, url]) => [
      `SUBGRAPH_${name.toUpperCase()}_URL`,
      url,
    ]),
  );
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step();
  };
  try {
    const gateway = await createGateway(
      loadGatewayConfig({ ...TEST_ENV, ...keys, ...overrides, NODE_ENV: 'production' }),
    );
    const gatewayUrl = (await gateway.listen(0)).url;
    stops.push(gateway.stop);
    const database = await createTestDatabase('user');
    stops.push(database.drop);
    const user = await createUserSubgraph(
      loadUserConfig({
        ...TEST_ENV,
        ...keys,
        NODE_ENV: 'production',
        DATABASE_URL: database.url,
        REDIS_URL: testSettings.TEST_REDIS_URL,
      }),
    );
    const userUrl = (await user.listen(0)).url;
    stops.push(user.close);
    return { gatewayUrl, userUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
