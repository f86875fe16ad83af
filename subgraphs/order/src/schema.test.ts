import { describe, expect, it } from 'vitest';
import { graphql } from 'graphql';
import type { Role, Viewer } from '@sky/auth';
import { buildProtectedSubgraphSchema, readSubgraphSchema } from '@sky/server-kit';
import type { Order } from './stores/index.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import type { OrderStores } from './stores/index.ts';

/**
 * The protected schema with in-memory stores: checks that the shield keeps `__resolveReference`
 * (graphql-shield#1387) and that the rules of schema/order.graphql hold, without a database.
 */
const schema = buildProtectedSubgraphSchema({
  typeDefs: readSubgraphSchema('order'),
  resolvers,
  permissions,
});

const customerId = '11111111-1111-4111-a111-111111111111';
const merchantId = '22222222-2222-4222-a222-222222222222';
const orderId = '33333333-3333-4333-a333-333333333333';
const unknownId = '99999999-9999-4999-a999-999999999999';

const order = {
  id: orderId,
  orderNumber: 'SKY1',
  status: 'CONFIRMED',
  customerId,
  merchantId,
  currency: 'CNY',
  totalAmount: 4900,
} as Order;

const stores = {
  orders: {
    load: async (id: string) => (id === orderId ? order : null),
    page: async () => ({
      edges: [{ cursor: 'c', node: order }],
      pageInfo: { hasNextPage: false, endCursor: 'c' },
    }),
  },
} as unknown as OrderStores;

const viewer = (userId: string, roles: Role[], staffOf: string | null = null): Viewer => ({
  userId,
  roles,
  merchantId: staffOf,
  expiresAt: 0,
  token: '',
});
const customer = viewer(customerId, ['CUSTOMER']);
const stranger = viewer('44444444-4444-4444-a444-444444444444', ['CUSTOMER']);
const staff = viewer('55555555-5555-4555-a555-555555555555', ['MERCHANT_STAFF'], merchantId);
const admin = viewer('66666666-6666-4666-a666-666666666666', ['ADMIN']);

const run = (source: string, who: Viewer | null, variableValues?: Record<string, unknown>) =>
  graphql({ schema, source, variableValues, contextValue: { viewer: who, stores } });
const codes = (result: Awaited<ReturnType<typeof run>>) => [
  ...new Set(result.errors?.map((e) => e.extensions.code)),
];

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Order { id orderNumber total { amount currency } customer { id } }
} }`;
const orderRep = { __typename: 'Order', id: orderId };

describe('Order entities through the shield', () => {
  it('resolves for the customer and the merchant staff', async () => {
    for (const who of [customer, staff, admin]) {
      const result = await run(ENTITIES, who, { r: [orderRep] });
      expect(result.errors).toBeUndefined();
      expect(result.data?._entities).toEqual([
        {
          id: orderId,
          orderNumber: 'SKY1',
          total: { amount: 4900, currency: 'CNY' },
          customer: { id: customerId },
        },
      ]);
    }
  });

  it('refuses strangers and anonymous callers', async () => {
    const refused = await run(ENTITIES, stranger, { r: [orderRep] });
    expect(refused.data?._entities).toEqual([null]);
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(codes(await run(ENTITIES, null, { r: [orderRep] }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('Query.order', () => {
  const ORDER = 'query($id: ID!) { order(id: $id) { id } }';

  it('is null with NOT_FOUND for a stranger, whether or not the order exists', async () => {
    for (const id of [orderId, unknownId]) {
      const result = await run(ORDER, stranger, { id });
      expect(result.data?.order).toBeNull();
      expect(codes(result)).toEqual(['NOT_FOUND']);
    }
  });

  it('is null with NOT_FOUND for an admin asking for an unknown id too', async () => {
    const result = await run(ORDER, admin, { id: unknownId });
    expect(codes(result)).toEqual(['NOT_FOUND']);
    expect(result.data?.order).toBeNull();
  });

  it('needs a signed-in caller', async () => {
    expect(codes(await run(ORDER, null, { id: orderId }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('orders contributed to User and Merchant', () => {
  const USER_ORDERS = `query($r: [_Any!]!) { _entities(representations: $r) {
    ... on User { id orders { edges { node { id } } } }
  } }`;
  const MERCHANT_ORDERS = `query($r: [_Any!]!) { _entities(representations: $r) {
    ... on Merchant { id orders { edges { node { id } } } }
  } }`;
  const userRep = { __typename: 'User', id: customerId };
  const merchantRep = { __typename: 'Merchant', id: merchantId };

  it('User.orders: self or admin', async () => {
    for (const who of [customer, admin]) {
      expect((await run(USER_ORDERS, who, { r: [userRep] })).errors).toBeUndefined();
    }
    expect(codes(await run(USER_ORDERS, stranger, { r: [userRep] }))).toEqual(['FORBIDDEN']);
    expect(codes(await run(USER_ORDERS, staff, { r: [userRep] }))).toEqual(['FORBIDDEN']);
  });

  it("Merchant.orders: the merchant's staff or admin", async () => {
    for (const who of [staff, admin]) {
      expect((await run(MERCHANT_ORDERS, who, { r: [merchantRep] })).errors).toBeUndefined();
    }
    expect(codes(await run(MERCHANT_ORDERS, customer, { r: [merchantRep] }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await run(MERCHANT_ORDERS, null, { r: [merchantRep] }))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });
});
