import { createGateway, loadConfig as loadGatewayConfig, type Gateway } from '@sky/gateway';
import { createCatalogSubgraph, loadConfig as loadCatalogConfig } from '@sky/subgraph-catalog';
import {
  createDeliverySubgraph,
  loadConfig as loadDeliveryConfig,
  type DeliverySubgraph,
} from '@sky/subgraph-delivery';
import { graphql, testSettings, type GraphQLResponse } from '@sky/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dishNamed, newCustomer, noodleHouse, orderOneDish, ORDERING_ENV } from './flows.ts';
import { subscribe } from './live.ts';
import { startTestSupergraph, type TestSupergraph } from './supergraph.ts';

/**
 * Outages as clients meet them, with real servers: the supergraph in server mode, and a gateway
 * of this test's own whose delivery subgraph is an instance the test stops and starts again.
 */
let supergraph: TestSupergraph;
let delivery: DeliverySubgraph | null = null;
let deliveryPort = 0;
let gateway: Gateway;
let gatewayUrl: string;
let customer: Awaited<ReturnType<typeof newCustomer>>;
let orderId: string;
const cleanup: (() => Promise<void>)[] = [];

const serverEnv = (name: string) => ({
  ...supergraph.sharedEnv,
  SKY_MODE: 'server',
  REDIS_URL: testSettings.TEST_REDIS_URL,
  DATABASE_URL: supergraph.databases[name]!.url,
});

async function startDelivery(port: number): Promise<void> {
  delivery = await createDeliverySubgraph(loadDeliveryConfig(serverEnv('delivery')));
  deliveryPort = (await delivery.listen(port)).port;
}

async function stopDelivery(): Promise<void> {
  await delivery?.close();
  delivery = null;
}

const ORDERS_WITH_DELIVERY = /* GraphQL */ `
  query {
    myOrders(first: 5) {
      edges {
        node {
          id
          status
          delivery {
            status
          }
        }
      }
    }
  }
`;

type Orders = {
  myOrders: { edges: { node: { id: string; status: string; delivery: unknown } }[] };
};
const myOrders = (): Promise<GraphQLResponse<Orders>> =>
  graphql<Orders>(gatewayUrl, ORDERS_WITH_DELIVERY, { token: customer.token });
const codes = (response: GraphQLResponse<unknown>) =>
  (response.errors ?? []).map((e) => e.extensions?.code);

beforeAll(async () => {
  supergraph = await startTestSupergraph({ env: ORDERING_ENV });
  await startDelivery(0);
  const overrides = Object.fromEntries(
    Object.entries({
      ...supergraph.subgraphUrls,
      delivery: `http://127.0.0.1:${deliveryPort}/graphql`,
    }).map(([name, url]) => [`SUBGRAPH_${name.toUpperCase()}_URL`, url]),
  );
  gateway = await createGateway(
    loadGatewayConfig({
      ...supergraph.sharedEnv,
      ...overrides,
      CIRCUIT_BREAKER_MIN_REQUESTS: '3',
      CIRCUIT_BREAKER_RESET_MS: '1000',
      RETRY_BASE_DELAY_MS: '5',
    }),
  );
  gatewayUrl = (await gateway.listen(0)).url;
  customer = await newCustomer(gatewayUrl, noodleHouse);
  const beef = dishNamed(noodleHouse, '红烧牛肉面').id;
  orderId = await orderOneDish(gatewayUrl, customer, noodleHouse.id, beef, '微辣 Mild');
}, 180_000);

afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
  await gateway?.stop();
  await stopDelivery();
  await supergraph?.stop();
});

describe('a subgraph that is down', () => {
  it('answers the rest of the query, with SERVICE_UNAVAILABLE at each missing field', async () => {
    expect(codes(await myOrders())).toEqual([]);
    await stopDelivery();
    const response = await myOrders();
    expect(response.status).toBe(200);
    const [edge] = response.data!.myOrders.edges;
    expect(edge!.node).toMatchObject({ id: orderId, status: 'PENDING_PAYMENT', delivery: null });
    expect(response.errors).toContainEqual(
      expect.objectContaining({
        path: ['myOrders', 'edges', 0, 'node', 'delivery'],
        extensions: expect.objectContaining({
          code: 'SERVICE_UNAVAILABLE',
          retryAfterSeconds: expect.any(Number),
        }),
      }),
    );
    expect(codes(response)).not.toContain('INTERNAL_SERVER_ERROR');
  });

  it('ends a subscription it owns with SERVICE_UNAVAILABLE and a retry hint, not an internal error', async () => {
    const live = subscribe<{ status: string }>(
      gatewayUrl,
      customer.token,
      'subscription ($orderId: ID!) { courierLocation(orderId: $orderId) { status } }',
      { orderId },
    );
    try {
      await live.until(() => live.errors.length > 0 || live.completed);
      expect(live.errors).toEqual([
        expect.objectContaining({
          extensions: expect.objectContaining({
            code: 'SERVICE_UNAVAILABLE',
            retryAfterSeconds: expect.any(Number),
          }),
        }),
      ]);
    } finally {
      await live.stop();
    }
  });

  it('opens its breaker after repeated failures: later calls fail fast, and metrics show it', async () => {
    let reason: unknown;
    for (let attempt = 0; attempt < 10 && reason !== 'CIRCUIT_OPEN'; attempt++) {
      reason = (await myOrders()).errors?.[0]?.extensions?.reason;
    }
    expect(reason).toBe('CIRCUIT_OPEN');
    expect(gateway.breakers.state('delivery')).toBe('open');
    const metrics = await gateway.metrics.registry.metrics();
    expect(metrics).toMatch(/sky_circuit_breaker_open\{[^}]*target="delivery"[^}]*\} 1/);
    expect(metrics).toMatch(
      /sky_circuit_breaker_rejections_total\{[^}]*target="delivery"[^}]*\} [1-9]/,
    );
    // What does not need the delivery subgraph is unaffected.
    const withoutDelivery = await graphql(
      gatewayUrl,
      '{ myOrders(first: 5) { edges { node { id } } } }',
      {
        token: customer.token,
      },
    );
    expect(withoutDelivery.errors).toBeUndefined();
  });

  it('closes its breaker once the subgraph is back', async () => {
    await startDelivery(deliveryPort);
    let response = await myOrders();
    // The breaker lets a trial call through after CIRCUIT_BREAKER_RESET_MS (1 s here).
    for (let attempt = 0; attempt < 50 && response.errors; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      response = await myOrders();
    }
    expect(response.errors).toBeUndefined();
    expect(response.data!.myOrders.edges[0]!.node.id).toBe(orderId);
    expect(gateway.breakers.state('delivery')).toBe('closed');
    expect(await gateway.metrics.registry.metrics()).toMatch(
      /sky_circuit_breaker_open\{[^}]*target="delivery"[^}]*\} 0/,
    );
  });
});

describe('deadlines between hops', () => {
  it('a subgraph refuses work whose budget the caller has already spent', async () => {
    const response = await graphql(supergraph.subgraphUrls.catalog!, '{ __typename }', {
      headers: { 'x-request-timeout-ms': '0' },
    });
    expect(response.status).toBe(504);
    expect(response.errors?.[0]?.extensions?.code).toBe('DEADLINE_EXCEEDED');
  });
});

describe('the database pool', () => {
  it('answers SERVICE_UNAVAILABLE (DATABASE_POOL_EXHAUSTED) when no connection frees up in time', async () => {
    const catalog = await createCatalogSubgraph(
      loadCatalogConfig({
        ...serverEnv('catalog'),
        DATABASE_POOL_SIZE: '1',
        DATABASE_POOL_TIMEOUT_MS: '300',
      }),
    );
    cleanup.push(catalog.close);
    const { url } = await catalog.listen(0);
    // The pool's only connection is held (as a long transaction or a lock would hold it).
    let release!: () => void;
    const held = catalog.database.withSession(() => new Promise<void>((r) => (release = r)));
    const response = await graphql(url, '{ merchants(first: 1) { edges { node { name } } } }');
    release();
    await held;
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      reason: 'DATABASE_POOL_EXHAUSTED',
      retryAfterSeconds: expect.any(Number),
    });
  });
});

describe('graceful shutdown', () => {
  it('lets an in-flight request finish before the service stops', async () => {
    const catalog = await createCatalogSubgraph(
      loadCatalogConfig({ ...serverEnv('catalog'), DATABASE_POOL_SIZE: '1' }),
    );
    const { url } = await catalog.listen(0);
    // The request waits for the pool's only connection, held here, so it is in flight for sure
    // when the stop begins.
    let release!: () => void;
    const held = catalog.database.withSession(() => new Promise<void>((r) => (release = r)));
    const arrived = new Promise((resolve) => catalog.httpServer.once('request', resolve));
    const inFlight = graphql(url, '{ merchants(first: 1) { edges { node { name } } } }');
    await arrived;
    const stopping = catalog.close();
    release();
    await held;
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect((response.data as { merchants: { edges: unknown[] } }).merchants.edges).toHaveLength(1);
    await stopping;
    // Stopped: nothing listens any more.
    await expect(fetch(url.replace('/graphql', '/health/live'))).rejects.toThrow();
  });
});
