import { generateKeyPair, type KeyPair, type Role } from '@sky/auth';
import type { Env } from '@sky/config';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type SubgraphName, type TestDatabase } from './databases.ts';
import { graphql, type GraphQLResponse } from './graphql-client.ts';
import { testSettings } from './settings.ts';
import { TEST_ENV, tokenSigner } from './test-env.ts';

/** What a test needs of a built subgraph (any of the five `create…Subgraph` results). */
export interface ListeningService {
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
}

/**
 * The settings several subgraphs started by one test share: one key pair, one service token,
 * one event namespace on the machine's Redis (so they exchange events), quick event polling.
 */
export function sharedTestEnv(keys: KeyPair, overrides: Env = {}): Env {
  return {
    ...TEST_ENV,
    SKY_MODE: 'server',
    JWT_PUBLIC_KEY: keys.publicKeyPem,
    JWT_PRIVATE_KEY: keys.privateKeyPem,
    REDIS_URL: testSettings.TEST_REDIS_URL,
    EVENT_NAMESPACE: `test-${randomUUID()}`,
    EVENT_POLL_INTERVAL_MS: '100',
    EVENT_REDELIVER_AFTER_MS: '2000',
    ...overrides,
  };
}

export interface TestSubgraphOptions<Service extends ListeningService> {
  /** Which template database the fresh one is copied from. */
  name: SubgraphName;
  /** Builds the subgraph from its environment (`create…Subgraph(loadConfig(env))`). */
  build: (env: Env) => Promise<Service>;
  keys?: KeyPair;
  /** Settings on top of `sharedTestEnv` (also how a test shares a namespace with another). */
  env?: Env;
  /** Another instance's database (as when the service is scaled out); that instance drops it. */
  database?: TestDatabase | null;
  /** An in-memory PGlite database and in-process pub/sub and events instead of PostgreSQL/Redis. */
  embedded?: boolean;
}

/** One subgraph listening on a random port, with what a test does against it. */
export interface TestSubgraph<Service extends ListeningService> {
  subgraph: Service;
  url: string;
  /** The same endpoint for graphql-ws. */
  wsUrl: string;
  port: number;
  /** Null in embedded mode. */
  db: TestDatabase | null;
  keys: KeyPair;
  env: Env;
  /** Signs an access token as the user subgraph would. */
  token(claims: { userId?: string; roles: Role[]; merchantId?: string | null }): string;
  /** Runs an operation against the subgraph, as the holder of `token` (anonymous without). */
  run<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<Data>>;
  stop(): Promise<void>;
}

/**
 * Starts a subgraph for an integration test: in server mode on a fresh database copied from its
 * migrated template and the machine's Redis under a namespace of its own (or embedded), with a
 * key pair and the service token, on a random port.
 */
export async function startTestSubgraph<Service extends ListeningService>(
  options: TestSubgraphOptions<Service>,
): Promise<TestSubgraph<Service>> {
  const keys = options.keys ?? generateKeyPair();
  const embedded = options.embedded ?? false;
  const db = embedded ? null : (options.database ?? (await createTestDatabase(options.name)));
  const ownsDatabase = !embedded && !options.database;
  const storage: Env = embedded
    ? { SKY_MODE: 'embedded', DATA_DIR: '', REDIS_URL: undefined }
    : { DATABASE_URL: db!.url };
  const env: Env = { ...sharedTestEnv(keys), ...options.env, ...storage };
  const dropDatabase = async () => {
    if (ownsDatabase) await db!.drop();
  };
  let subgraph: Service;
  try {
    subgraph = await options.build(env);
  } catch (error) {
    await dropDatabase();
    throw error;
  }
  try {
    const { url, port } = await subgraph.listen(0, '127.0.0.1');
    const signer = tokenSigner(keys);
    return {
      subgraph,
      url,
      wsUrl: url.replace(/^http/, 'ws'),
      port,
      db,
      keys,
      env,
      token: ({ userId = randomUUID(), merchantId = null, roles }) =>
        signer.signAccessToken({ userId, roles, merchantId }).token,
      run: (query, variables = {}, token) => graphql(url, query, { variables, token }),
      stop: async () => {
        await subgraph.close();
        // pg's Pool.end() resolves before its last connections have finished closing; dropping
        // the database WITH (FORCE) at once terminates them, and the pg client reports that as
        // an uncaught error. A moment lets them close first.
        await new Promise((resolve) => setTimeout(resolve, 100));
        await dropDatabase();
      },
    };
  } catch (error) {
    await subgraph.close();
    await dropDatabase();
    throw error;
  }
}
