import { randomUUID } from 'node:crypto';
import { generateKeyPair, type Role } from '@sky/auth';
import { createTestDatabase, graphql, type GraphQLResponse } from '@sky/testkit';
import { TEST_ENV, tokenSigner } from '@sky/testkit';
import { createUserSubgraph, loadConfig, type UserSubgraph } from '../src/index.ts';
import type { UserSubgraphConfig } from '../src/config.ts';

export interface TestUser {
  id: string;
  token: string;
}

/** The user subgraph alone, in server mode, on its own fresh database and a random port. */
export interface UserSubgraphHarness {
  url: string;
  subgraph: UserSubgraph;
  config: UserSubgraphConfig;
  /** Runs an operation against the subgraph, as the holder of `token` (anonymous without). */
  run<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<Data>>;
  /** Registers a customer through the public mutation and returns its id and access token. */
  registerCustomer(name?: string): Promise<TestUser>;
  /** An access token with other roles for an existing user (e.g. ADMIN). */
  tokenFor(userId: string, roles: Role[]): string;
  stop(): Promise<void>;
}

const REGISTER = `mutation($input: RegisterInput!) {
  register(input: $input) { accessToken user { id } }
}`;

export async function startUserSubgraph(): Promise<UserSubgraphHarness> {
  const keys = generateKeyPair();
  const db = await createTestDatabase('user');
  try {
    const config = loadConfig({
      ...TEST_ENV,
      SKY_MODE: 'server',
      JWT_PUBLIC_KEY: keys.publicKeyPem,
      JWT_PRIVATE_KEY: keys.privateKeyPem,
      DATABASE_URL: db.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      EVENT_NAMESPACE: 'test-' + randomUUID(),
    });
    const subgraph = await createUserSubgraph(config);
    const { url } = await subgraph.listen(0);
    const signer = tokenSigner(keys);
    const run: UserSubgraphHarness['run'] = (query, variables, token) =>
      graphql(url, query, { variables, token });
    let counter = 0;
    return {
      url,
      subgraph,
      config,
      run,
      async registerCustomer(name = 'Customer') {
        const email = `${name.toLowerCase().replace(/\W/g, '')}-${counter++}-${randomUUID()}@example.com`;
        const response = await run<{ register: { accessToken: string; user: { id: string } } }>(
          REGISTER,
          { input: { email, password: 'correct horse battery', name } },
        );
        if (!response.data?.register) {
          throw new Error(`register failed: ${JSON.stringify(response.errors)}`);
        }
        return { id: response.data.register.user.id, token: response.data.register.accessToken };
      },
      tokenFor: (userId, roles) =>
        signer.signAccessToken({ userId, roles, merchantId: null }).token,
      async stop() {
        await subgraph.close();
        await db.drop();
      },
    };
  } catch (error) {
    await db.drop();
    throw error;
  }
}
