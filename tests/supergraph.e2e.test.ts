import { demoId, orders } from '@sky/demo-data';
import { errorCodes, graphql } from '@sky/testkit';
import { startTestSupergraph, type TestSupergraph } from './supergraph.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './helpers.ts';
import { MY_ORDERS, NEARBY_MERCHANTS, ORDER_ACROSS_ALL_SUBGRAPHS } from './operations.ts';

/** The whole supergraph in server mode: one PostgreSQL database per subgraph, seeded. */
let supergraph: TestSupergraph;
beforeAll(async () => {
  supergraph = await startTestSupergraph();
});
afterAll(async () => {
  await supergraph?.stop();
});

const completedOrder = orders.find((o) => o.status === 'COMPLETED')!;

describe('one query across all five subgraphs', () => {
  it("answers an order with its customer's name, dishes, merchant, payment and rider", async () => {
    const token = await signIn(supergraph.gatewayUrl, 'alice');
    const response = await graphql(supergraph.gatewayUrl, ORDER_ACROSS_ALL_SUBGRAPHS, {
      token,
      variables: { id: completedOrder.id },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data).toMatchObject({
      order: {
        orderNumber: completedOrder.orderNumber,
        status: 'COMPLETED',
        payStatus: 'PAID',
        total: { amount: completedOrder.totalAmount, currency: 'CNY' },
        customer: { name: '张丽 Alice Zhang' },
        merchant: { name: '天空面馆 Sky Noodle House' },
        payment: { status: 'SUCCEEDED', amount: { amount: completedOrder.totalAmount } },
        delivery: { status: 'DELIVERED', rider: { user: { name: '李骑手 Rider Li' } } },
      },
    });
    const items = (response.data as { order: { items: { dish: { name: string } }[] } }).order.items;
    expect(items.map((i) => i.dish.name)).toEqual(completedOrder.items.map((i) => i.name));
    expect(typeof response.extensions?.requestId).toBe('string');
    expect(response.headers.get('x-request-id')).toBe(response.extensions?.requestId);
  });

  it('pages through order history with opaque cursors in a stable order', async () => {
    const token = await signIn(supergraph.gatewayUrl, 'alice');
    const first = await graphql<{
      myOrders: {
        edges: { node: { id: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    }>(supergraph.gatewayUrl, MY_ORDERS, { token, variables: { first: 1 } });
    expect(first.errors).toBeUndefined();
    expect(first.data!.myOrders.pageInfo.hasNextPage).toBe(true);
    const second = await graphql<typeof first.data & object>(supergraph.gatewayUrl, MY_ORDERS, {
      token,
      variables: { first: 1, after: first.data!.myOrders.pageInfo.endCursor },
    });
    const ids = [...first.data!.myOrders.edges, ...second.data!.myOrders.edges].map(
      (e) => e.node.id,
    );
    const alicesOrders = orders.filter((o) => o.customerId === demoId('user:alice'));
    expect(new Set(ids)).toEqual(new Set(alicesOrders.map((o) => o.id)));
  });

  it('lets anonymous visitors browse merchants near them', async () => {
    const response = await graphql<{ merchants: { edges: { node: { name: string } }[] } }>(
      supergraph.gatewayUrl,
      NEARBY_MERCHANTS,
      { variables: { near: { latitude: 31.2304, longitude: 121.4737 } } },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.merchants.edges.length).toBeGreaterThan(0);
  });
});

describe('ownership', () => {
  const alicesAddress = demoId('address:alice:home');

  it("refuses customer B reading customer A's order, through the gateway and directly", async () => {
    const bob = await signIn(supergraph.gatewayUrl, 'bob');
    const viaGateway = await graphql(supergraph.gatewayUrl, ORDER_ACROSS_ALL_SUBGRAPHS, {
      token: bob,
      variables: { id: completedOrder.id },
    });
    expect(viaGateway.data?.order ?? null).toBeNull();
    expect(errorCodes(viaGateway)).toEqual(['NOT_FOUND']);

    const direct = await graphql(
      supergraph.subgraphUrls.order!,
      'query($id: ID!) { order(id: $id) { id total { amount } } }',
      { token: bob, variables: { id: completedOrder.id } },
    );
    expect(direct.data?.order ?? null).toBeNull();
    expect(errorCodes(direct)).toEqual(['NOT_FOUND']);

    const entities = await graphql<{ _entities: unknown[] }>(
      supergraph.subgraphUrls.order!,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id total { amount } } } }',
      { token: bob, variables: { r: [{ __typename: 'Order', id: completedOrder.id }] } },
    );
    expect(entities.data?._entities).toEqual([null]);
    expect(errorCodes(entities)).toContain('FORBIDDEN');
  });

  it("refuses customer B reading customer A's address, through the gateway and directly", async () => {
    const bob = await signIn(supergraph.gatewayUrl, 'bob');
    for (const url of [supergraph.gatewayUrl, supergraph.subgraphUrls.user!]) {
      const response = await graphql(url, 'query($id: ID!) { address(id: $id) { detail phone } }', {
        token: bob,
        variables: { id: alicesAddress },
      });
      expect(response.data?.address ?? null).toBeNull();
      expect(errorCodes(response)).toEqual(['NOT_FOUND']);
    }
    const entities = await graphql(
      supergraph.subgraphUrls.user!,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Address { detail } ... on User { email phone } } }',
      {
        token: bob,
        variables: {
          r: [
            { __typename: 'Address', id: alicesAddress },
            { __typename: 'User', id: demoId('user:alice') },
          ],
        },
      },
    );
    expect(JSON.stringify(entities.data)).not.toContain('西藏中路');
    expect(JSON.stringify(entities.data)).not.toContain('alice@');
    expect(errorCodes(entities).every((code) => code === 'FORBIDDEN')).toBe(true);
    expect(errorCodes(entities).length).toBeGreaterThan(0);
  });

  it('lets the owner and an admin read the address', async () => {
    for (const account of ['alice', 'admin']) {
      const token = await signIn(supergraph.gatewayUrl, account);
      const response = await graphql(
        supergraph.gatewayUrl,
        'query($id: ID!) { address(id: $id) { detail } }',
        {
          token,
          variables: { id: alicesAddress },
        },
      );
      expect(response.errors).toBeUndefined();
      expect(JSON.stringify(response.data)).toContain('西藏中路');
    }
  });

  it("shows merchant staff their own merchant's orders and refuses another merchant's", async () => {
    const ownStaff = await signIn(supergraph.gatewayUrl, 'staff-noodle-house');
    const otherStaff = await signIn(supergraph.gatewayUrl, 'staff-golden-dumpling');
    const query = 'query($id: ID!) { order(id: $id) { orderNumber customer { name } } }';
    const own = await graphql(supergraph.gatewayUrl, query, {
      token: ownStaff,
      variables: { id: completedOrder.id },
    });
    expect(own.errors).toBeUndefined();
    expect(own.data).toMatchObject({ order: { orderNumber: completedOrder.orderNumber } });
    const other = await graphql(supergraph.gatewayUrl, query, {
      token: otherStaff,
      variables: { id: completedOrder.id },
    });
    expect(other.data?.order ?? null).toBeNull();
    expect(errorCodes(other)).toEqual(['NOT_FOUND']);
  });
});
