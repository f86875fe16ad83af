import { randomUUID } from 'node:crypto';
import { generateKeyPair, type Role } from '@sky/auth';
import type { Env } from '@sky/config';
import { callInternal } from '@sky/server-kit';
import { createTestDatabase, graphql, type GraphQLResponse } from '@sky/testkit';
import { TEST_ENV, tokenSigner } from '@sky/testkit';
import { expect } from 'vitest';
import { createCatalogSubgraph, loadConfig, seedCatalogDemoData } from '../src/index.ts';

export interface TestCatalog {
  subgraph: Awaited<ReturnType<typeof createCatalogSubgraph>>;
  config: ReturnType<typeof loadConfig>;
  url: string;
  /** Signs an access token as the user subgraph would. */
  token(claims: { roles: Role[]; merchantId?: string | null; userId?: string }): string;
  /** Runs a GraphQL operation against the catalog subgraph. */
  gql<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<Data>>;
  /** Calls an internal endpoint with the service token (as the order subgraph does). */
  internal<Result>(name: string, body: unknown): Promise<Result>;
  stop(): Promise<void>;
}

/**
 * The catalog subgraph in server mode on a random port: a fresh database copied from the
 * migrated template, the machine's Redis under a namespace of its own, the demo data seeded.
 */
export async function startCatalog(env: Env = {}): Promise<TestCatalog> {
  const db = await createTestDatabase('catalog');
  const keys = generateKeyPair();
  const config = loadConfig({
    ...TEST_ENV,
    JWT_PUBLIC_KEY: keys.publicKeyPem,
    JWT_PRIVATE_KEY: keys.privateKeyPem,
    DATABASE_URL: db.url,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    EVENT_NAMESPACE: `test-${randomUUID()}`,
    EVENT_POLL_INTERVAL_MS: '100',
    ...env,
  });
  const subgraph = await createCatalogSubgraph(config);
  try {
    await seedCatalogDemoData(subgraph);
    const { url } = await subgraph.listen(0, '127.0.0.1');
    const signer = tokenSigner(keys);
    const client = { baseUrl: url, token: config.internal.token, timeoutMs: 30_000 };
    return {
      subgraph,
      config,
      url,
      token: ({ userId = randomUUID(), merchantId = null, roles }) =>
        signer.signAccessToken({ userId, roles, merchantId }).token,
      gql: (query, variables, token) => graphql(url, query, { variables, token }),
      internal: (name, body) => callInternal(client, name, body),
      stop: async () => {
        await subgraph.close();
        await db.drop();
      },
    };
  } catch (error) {
    await subgraph.close();
    await db.drop();
    throw error;
  }
}

/** Asserts that the response failed with exactly one error of `code` (and `field`, if given). */
export function expectError(
  response: GraphQLResponse,
  code: string,
  extensions: Record<string, unknown> = {},
): void {
  expect(response.errors, JSON.stringify(response.errors)).toHaveLength(1);
  expect(response.errors![0]!.extensions).toMatchObject({ code, ...extensions });
}

/** Asserts success and returns the data. */
export function dataOf<Data>(response: GraphQLResponse<Data>): Data {
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!;
}

/** The code (and extensions) an internal call was refused with. */
export async function refusal(call: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await call;
  } catch (error) {
    return (
      (error as { extensions?: Record<string, unknown> }).extensions ?? {
        message: (error as Error).message,
      }
    );
  }
  throw new Error('expected the call to be refused');
}
