import { findDemoUser, orders } from '@sky/demo-data';
import { graphql } from '@sky/testkit';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribe } from '../live.ts';
import { startProductionEdges, type TestSupergraph } from '../supergraph.ts';
import { openSocket, startHostileSupergraph } from './harness.ts';

/**
 * The edges of the hostile-traffic review that are not limits: each with its regression case.
 * Production behaviour runs on a production gateway and a production user subgraph beside the
 * development supergraph.
 */
let supergraph: TestSupergraph;
const production: { gateway?: string; user?: string } = {};
const cleanup: (() => Promise<void>)[] = [];
beforeAll(async () => {
  supergraph = await startHostileSupergraph({ PAYMENT_TIMEOUT_SECONDS: '86400' });
  const edges = await startProductionEdges(supergraph);
  cleanup.push(edges.stop);
  production.gateway = edges.gatewayUrl;
  production.user = edges.userUrl;
});
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
  await supergraph?.stop();
});

const alice = findDemoUser('alice');
const tokenOf = (user: { id: string; roles: string[] }) =>
  supergraph.tokenFor({ userId: user.id, roles: user.roles as never });
const codeOf = (response: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  response.errors?.[0]?.extensions?.code;

describe('schema discovery in production', () => {
  it('closes `_service { sdl }` on a production subgraph (the gateway composes from a file)', async () => {
    const response = await graphql(production.user!, '{ _service { sdl } }');
    expect(response.status).toBe(400);
    expect(codeOf(response)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(response)).not.toMatch(/type User/);
  });

  it('keeps `_service` open in development (tools, composition checks)', async () => {
    const response = await graphql<{ _service: { sdl: string } }>(
      supergraph.subgraphUrls.user!,
      '{ _service { sdl } }',
    );
    expect(response.data?._service.sdl).toMatch(/type User/);
  });

  it.each([
    ['gateway', () => production.gateway!],
    ['user subgraph', () => production.user!],
  ])('refuses introspection over the WebSocket of the production %s too', async (_name, url) => {
    const client = await openSocket(url());
    client.send({
      id: '1',
      type: 'subscribe',
      payload: { query: '{ __schema { queryType { name } } }' },
    });
    expect(await client.errorCode('1')).toBe('GRAPHQL_VALIDATION_FAILED');
    client.socket.close();
  });

  it('hides field suggestions over the production WebSocket', async () => {
    const client = await openSocket(production.gateway!);
    client.send({
      id: '1',
      type: 'subscribe',
      payload: { query: '{ merchant(id: "x") { nam } }' },
    });
    await client.errorCode('1');
    expect(JSON.stringify(client.messages)).not.toMatch(/Did you mean/);
    client.socket.close();
  });
});

describe('errors reveal no topology', () => {
  it('a subgraph refusal reaches the client without `serviceName`', async () => {
    const response = await graphql(
      supergraph.gatewayUrl,
      'query($id: ID!) { order(id: $id) { id } }',
      {
        variables: { id: randomUUID() },
        token: tokenOf(alice),
      },
    );
    expect(response.errors?.length).toBeGreaterThan(0);
    for (const error of response.errors!) expect(error.extensions?.serviceName).toBeUndefined();
  });

  it('a CSRF refusal carries the request id, at the gateway and at a subgraph', async () => {
    for (const url of [supergraph.gatewayUrl, supergraph.subgraphUrls.order!]) {
      const response = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`);
      const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
      expect(response.status).toBe(400);
      expect(body.errors[0]!.extensions.requestId).toBe(response.headers.get('x-request-id'));
    }
  });
});

describe('inputs the contract refuses', () => {
  it.each([0, -1, 101])(
    'myOrders(first: %i) is BAD_USER_INPUT (the contract says 1..100)',
    async (first) => {
      const response = await graphql(
        supergraph.gatewayUrl,
        'query($n: Int) { myOrders(first: $n) { edges { cursor } } }',
        {
          variables: { n: first },
          token: tokenOf(alice),
        },
      );
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
    },
  );
});

describe("courierLocation tells a stranger nothing about someone else's order", () => {
  it('answers NOT_FOUND whether the order has a delivery or not, with the same message', async () => {
    const stranger = supergraph.tokenFor({ userId: randomUUID(), roles: ['CUSTOMER'] });
    const withDelivery = orders.find(
      (o) => o.customerId === alice.id && o.delivery?.status === 'ASSIGNED',
    )!;
    const withoutDelivery = orders.find((o) => o.delivery === null)!;
    const query = 'subscription($id: ID!) { courierLocation(orderId: $id) { status } }';
    const results = [];
    for (const order of [withDelivery, withoutDelivery]) {
      const recording = subscribe(supergraph.gatewayUrl, stranger, query, { id: order.id });
      await recording
        .until(() => recording.errors.length > 0 || recording.completed, 10_000)
        .catch(() => {});
      results.push(recording.errors.map((e) => [e.extensions?.code, e.message]));
      await recording.stop();
    }
    expect(results[0]).toEqual([['NOT_FOUND', expect.any(String)]]);
    expect(results[0]).toEqual(results[1]);
  });
});
