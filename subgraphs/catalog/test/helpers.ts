import type { Env } from '@sky/config';
import { requestInternal } from '@sky/server-kit';
import { startTestSubgraph, type GraphQLResponse, type TestSubgraph } from '@sky/testkit';
import { expect } from 'vitest';
import { createCatalogSubgraph, loadConfig, seedCatalogDemoData } from '../src/index.ts';

export type TestCatalog = TestSubgraph<Awaited<ReturnType<typeof createCatalogSubgraph>>> & {
  /** Runs a GraphQL operation against the catalog subgraph. */
  gql<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<Data>>;
  /**
   * Posts any body to an internal endpoint with the service token, contract or not (the tests
   * send what contracts forbid); `Result` only types what the assertions read.
   */
  internal<Result = Record<string, unknown>>(name: string, body: unknown): Promise<Result>;
};

/**
 * The catalog subgraph in server mode on a random port: a fresh database copied from the
 * migrated template, the machine's Redis under a namespace of its own, the demo data seeded.
 */
export async function startCatalog(env: Env = {}): Promise<TestCatalog> {
  const harness = await startTestSubgraph({
    name: 'catalog',
    env,
    build: async (env) => {
      const subgraph = await createCatalogSubgraph(loadConfig(env));
      try {
        await seedCatalogDemoData(subgraph);
      } catch (error) {
        await subgraph.close();
        throw error;
      }
      return subgraph;
    },
  });
  const client = {
    baseUrl: harness.url,
    token: harness.env.INTERNAL_API_TOKEN!,
    timeoutMs: 30_000,
  };
  return {
    ...harness,
    gql: harness.run,
    internal: <Result>(name: string, body: unknown) =>
      requestInternal(client, name, body) as Promise<Result>,
  };
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
