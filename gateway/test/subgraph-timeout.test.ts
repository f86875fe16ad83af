import { generateKeyPair } from '@sky/auth';
import { graphql } from '@sky/testkit';
import { TEST_ENV } from '@sky/testkit';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, loadConfig, type Gateway } from '../src/index.ts';

/** A subgraph that accepts the connection and never answers. */
let silentSubgraph: Server;
let gateway: Gateway;
let gatewayUrl: string;

beforeAll(async () => {
  silentSubgraph = createServer(() => {});
  await new Promise<void>((resolve) => silentSubgraph.listen(0, '127.0.0.1', resolve));
  const silentUrl = `http://127.0.0.1:${(silentSubgraph.address() as AddressInfo).port}/graphql`;
  gateway = await createGateway(
    loadConfig({
      ...TEST_ENV,
      JWT_PUBLIC_KEY: generateKeyPair().publicKeyPem,
      SUBGRAPH_TIMEOUT_MS: '300',
      SUBGRAPH_CATALOG_URL: silentUrl,
    }),
  );
  gatewayUrl = (await gateway.listen(0)).url;
});
afterAll(async () => {
  await gateway?.stop();
  silentSubgraph.closeAllConnections();
  await new Promise((resolve) => silentSubgraph.close(resolve));
});

describe('subgraph calls have a deadline', () => {
  it('answers SERVICE_UNAVAILABLE at the missing field instead of hanging when a subgraph never responds', async () => {
    const response = await graphql(
      gatewayUrl,
      '{ merchants(first: 1) { edges { node { name } } } }',
    );
    expect(response.status).toBe(200);
    expect(response.data?.merchants ?? null).toBeNull();
    // An outage, not a defect: its own code, a retry hint, and the field it took away.
    expect(response.errors?.[0]).toMatchObject({
      path: ['merchants'],
      extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'TOO_SLOW', retryAfterSeconds: 1 },
    });
    expect(JSON.stringify(response)).not.toMatch(/127\.0\.0\.1|timeout|aborted/i);
  });

  it('keeps serving afterwards', async () => {
    const response = await graphql(gatewayUrl, '{ __typename }');
    expect(response.data).toEqual({ __typename: 'Query' });
  });
});
