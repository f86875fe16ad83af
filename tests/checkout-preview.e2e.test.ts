import { errorCodes, graphql } from '@sky/testkit';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addToCart,
  dishNamed,
  goldenDumpling,
  newCustomer,
  noodleHouse,
  ok,
  ORDERING_ENV,
  type Customer,
} from './flows.ts';
import { signIn } from './helpers.ts';
import { startTestSupergraph, type TestSupergraph } from './supergraph.ts';

/**
 * `Cart.checkoutPreview` through the gateway in server mode: its amounts are the placed order's,
 * and each refusal it predicts is the error `placeOrder` then returns.
 */

let supergraph: TestSupergraph;
let gateway: string;
beforeAll(async () => {
  supergraph = await startTestSupergraph({ env: ORDERING_ENV });
  gateway = supergraph.gatewayUrl;
});
afterAll(async () => {
  await supergraph?.stop();
});

interface Money {
  amount: number;
  currency: string;
}
interface Preview {
  lines: {
    dish: { id: string } | null;
    name: string;
    flavor: string | null;
    quantity: number;
    unitPrice: Money;
    lineTotal: Money;
  }[];
  itemsTotal: Money | null;
  packingFee: Money | null;
  deliveryFee: Money | null;
  total: Money | null;
  minimumOrder: Money;
  minimumOrderGap: Money | null;
  open: boolean;
  distanceMeters: number;
  deliveryRadiusMeters: number;
  inRange: boolean;
  serviceable: boolean;
  refusal: { code: string; message: string } | null;
  estimatedDeliveryMinutes: number;
  estimatedDeliveryAt: string;
}

const PREVIEW = `
  query ($merchantId: ID!, $addressId: ID!) {
    myCart(merchantId: $merchantId) {
      checkoutPreview(addressId: $addressId) {
        lines { dish { id } name flavor quantity unitPrice { amount currency } lineTotal { amount currency } }
        itemsTotal { amount currency }
        packingFee { amount currency }
        deliveryFee { amount currency }
        total { amount currency }
        minimumOrder { amount currency }
        minimumOrderGap { amount currency }
        open
        distanceMeters
        deliveryRadiusMeters
        inRange
        serviceable
        refusal { code message }
        estimatedDeliveryMinutes
        estimatedDeliveryAt
      }
    }
  }
`;

const PLACE = `
  mutation ($input: PlaceOrderInput!) {
    placeOrder(input: $input) {
      id
      items { dish { id } name flavor quantity unitPrice { amount currency } lineTotal { amount currency } }
      itemsTotal { amount currency }
      packingFee { amount currency }
      deliveryFee { amount currency }
      total { amount currency }
    }
  }
`;

async function preview(customer: Customer, merchantId: string, addressId = customer.addressId) {
  return graphql<{ myCart: { checkoutPreview: Preview } | null }>(gateway, PREVIEW, {
    token: customer.token,
    variables: { merchantId, addressId },
  });
}

async function place(customer: Customer, merchantId: string, addressId = customer.addressId) {
  return graphql<{
    placeOrder: Omit<Preview, 'lines'> & { id: string; items: Preview['lines'] };
  }>(gateway, PLACE, {
    token: customer.token,
    variables: { input: { merchantId, addressId, idempotencyKey: randomUUID() } },
  });
}

/** The preview predicts `code`, and `placeOrder` then refuses with exactly that code and message. */
async function expectRefusalMatches(customer: Customer, merchantId: string, code: string) {
  const predicted = ok(await preview(customer, merchantId)).myCart!.checkoutPreview;
  expect(predicted.refusal?.code).toBe(code);
  expect(predicted.serviceable).toBe(false);
  const placed = await place(customer, merchantId);
  expect(errorCodes(placed)).toEqual([code]);
  expect(placed.errors![0]!.message).toBe(predicted.refusal!.message);
  return predicted;
}

async function staffDo(staffKey: string, query: string, variables: Record<string, unknown>) {
  const token = await signIn(gateway, staffKey);
  ok(await graphql(gateway, query, { token, variables }));
}

const stockLeft = async (dishId: string) =>
  ok(
    await graphql<{ dish: { stockLeftToday: number | null } }>(
      gateway,
      'query($id: ID!) { dish(id: $id) { stockLeftToday } }',
      { variables: { id: dishId } },
    ),
  ).dish.stockLeftToday;

describe('checkoutPreview', () => {
  it('shows the amounts placeOrder then charges, line by line, and an ETA', async () => {
    const customer = await newCustomer(gateway, noodleHouse);
    const beef = dishNamed(noodleHouse, '红烧牛肉面');
    const noodles = dishNamed(noodleHouse, '葱油拌面');
    ok(
      await addToCart(gateway, customer.token, {
        merchantId: noodleHouse.id,
        dishId: beef.id,
        flavor: beef.flavors[0]!.options[1]!,
        quantity: 2,
      }),
    );
    ok(
      await addToCart(gateway, customer.token, { merchantId: noodleHouse.id, dishId: noodles.id }),
    );

    const shown = ok(await preview(customer, noodleHouse.id)).myCart!.checkoutPreview;
    expect(shown).toMatchObject({
      open: true,
      inRange: true,
      serviceable: true,
      refusal: null,
      deliveryRadiusMeters: 5000,
      minimumOrder: { amount: 2000, currency: 'CNY' },
      minimumOrderGap: { amount: 0, currency: 'CNY' },
    });
    // The customer's address is 0.002° north and east of the shop: about 300 m.
    expect(shown.distanceMeters).toBeGreaterThan(250);
    expect(shown.distanceMeters).toBeLessThan(350);
    // 15 minutes of prep and at least one minute of riding.
    expect(shown.estimatedDeliveryMinutes).toBeGreaterThanOrEqual(16);
    expect(Date.parse(shown.estimatedDeliveryAt)).toBeGreaterThan(Date.now());

    const order = ok(await place(customer, noodleHouse.id)).placeOrder;
    expect(shown.lines).toEqual(order.items);
    for (const field of ['itemsTotal', 'packingFee', 'deliveryFee', 'total'] as const) {
      expect(shown[field]).toEqual(order[field]);
    }
    expect(order.total!.amount).toBe(2 * 3200 + 1800 + 3 * 100 + 500);
  });

  it('predicts BELOW_MINIMUM_ORDER with the gap, and placeOrder refuses so', async () => {
    const customer = await newCustomer(gateway, noodleHouse);
    const egg = dishNamed(noodleHouse, '卤蛋');
    ok(await addToCart(gateway, customer.token, { merchantId: noodleHouse.id, dishId: egg.id }));
    const shown = await expectRefusalMatches(customer, noodleHouse.id, 'BELOW_MINIMUM_ORDER');
    expect(shown).toMatchObject({
      open: true,
      inRange: true,
      itemsTotal: { amount: 300 },
      total: { amount: 300 + 100 + 500 },
      minimumOrderGap: { amount: 2000 - 300, currency: 'CNY' },
    });
  });

  it('predicts OUT_OF_DELIVERY_RANGE for a far address, with the distance and the amounts', async () => {
    // The customer's address is about 11 km north of the shop; it delivers within 5 km.
    const customer = await newCustomer(gateway, {
      latitude: noodleHouse.latitude + 0.1,
      longitude: noodleHouse.longitude,
    });
    const noodles = dishNamed(noodleHouse, '葱油拌面');
    ok(
      await addToCart(gateway, customer.token, {
        merchantId: noodleHouse.id,
        dishId: noodles.id,
        quantity: 2,
      }),
    );
    const shown = await expectRefusalMatches(customer, noodleHouse.id, 'OUT_OF_DELIVERY_RANGE');
    expect(shown).toMatchObject({
      inRange: false,
      open: true,
      total: { amount: 3600 + 200 + 500 },
    });
    expect(shown.distanceMeters).toBeGreaterThan(5000);
  });

  it('predicts SOLD_OUT beyond today’s stock without reserving any, and placeOrder refuses so', async () => {
    const customer = await newCustomer(gateway, goldenDumpling);
    const limited = dishNamed(goldenDumpling, '三鲜水饺');
    const before = await stockLeft(limited.id);
    expect(before).toBeGreaterThan(0);
    ok(
      await addToCart(gateway, customer.token, {
        merchantId: goldenDumpling.id,
        dishId: limited.id,
        quantity: before! + 1,
      }),
    );
    await expectRefusalMatches(customer, goldenDumpling.id, 'SOLD_OUT');
    expect(await stockLeft(limited.id)).toBe(before);
  });

  it('predicts ITEM_UNAVAILABLE (no amounts) for a dish taken off sale, and SHOP_CLOSED for a paused shop', async () => {
    const customer = await newCustomer(gateway, goldenDumpling);
    const potstickers = dishNamed(goldenDumpling, '锅贴');
    ok(
      await addToCart(gateway, customer.token, {
        merchantId: goldenDumpling.id,
        dishId: potstickers.id,
        flavor: potstickers.flavors[0]!.options[0]!,
        quantity: 2,
      }),
    );
    const offSale = 'mutation($id: ID!) { takeDishOffSale(id: $id) { dish { id } } }';
    const onSale = 'mutation($id: ID!) { putDishOnSale(id: $id) { id } }';
    await staffDo('staff-golden-dumpling', offSale, { id: potstickers.id });
    try {
      const shown = await expectRefusalMatches(customer, goldenDumpling.id, 'ITEM_UNAVAILABLE');
      expect(shown).toMatchObject({ lines: [], itemsTotal: null, total: null, open: true });
    } finally {
      await staffDo('staff-golden-dumpling', onSale, { id: potstickers.id });
    }

    const pause = 'mutation($until: DateTime!) { pauseMerchant(until: $until) { id } }';
    await staffDo('staff-golden-dumpling', pause, {
      until: new Date(Date.now() + 3_600_000).toISOString(),
    });
    try {
      const shown = await expectRefusalMatches(customer, goldenDumpling.id, 'SHOP_CLOSED');
      // A closed shop still shows what the order would cost.
      expect(shown).toMatchObject({
        open: false,
        inRange: true,
        total: { amount: 2 * 2000 + 2 * 150 + 400 },
      });
    } finally {
      await staffDo('staff-golden-dumpling', 'mutation { resumeMerchant { id } }', {});
    }
    expect(ok(await preview(customer, goldenDumpling.id)).myCart!.checkoutPreview).toMatchObject({
      serviceable: true,
      refusal: null,
    });
  });

  it('refuses another customer’s address with NOT_FOUND, as placeOrder does', async () => {
    const customer = await newCustomer(gateway, noodleHouse);
    const stranger = await newCustomer(gateway, noodleHouse);
    const noodles = dishNamed(noodleHouse, '葱油拌面');
    ok(
      await addToCart(gateway, customer.token, {
        merchantId: noodleHouse.id,
        dishId: noodles.id,
        quantity: 2,
      }),
    );
    expect(errorCodes(await preview(customer, noodleHouse.id, stranger.addressId))).toEqual([
      'NOT_FOUND',
    ]);
    expect(errorCodes(await place(customer, noodleHouse.id, stranger.addressId))).toEqual([
      'NOT_FOUND',
    ]);
  });
});

describe('nearby merchants', () => {
  it('carry the distance and the ETA on their edges, the ETA the checkout preview shows', async () => {
    const customer = await newCustomer(gateway, noodleHouse);
    const near = {
      latitude: noodleHouse.latitude + 0.002,
      longitude: noodleHouse.longitude + 0.002,
    };
    const list = ok(
      await graphql<{
        merchants: {
          edges: {
            node: { id: string };
            distanceMeters: number;
            estimatedDeliveryMinutes: number;
          }[];
        };
      }>(
        gateway,
        `
          query ($near: GeoPointInput!) {
            merchants(first: 10, near: $near) {
              edges {
                node {
                  id
                }
                distanceMeters
                estimatedDeliveryMinutes
              }
            }
          }
        `,
        { variables: { near } },
      ),
    ).merchants.edges;
    expect(list.length).toBeGreaterThan(1);
    for (const edge of list) {
      // 15 minutes of prep, then the ride at 4 m/s (240 m a minute), at least one minute.
      expect(edge.estimatedDeliveryMinutes).toBe(
        15 + Math.max(Math.ceil(edge.distanceMeters / 240), 1),
      );
    }
    const shop = list.find((edge) => edge.node.id === noodleHouse.id)!;
    expect(shop.distanceMeters).toBeGreaterThan(250);
    expect(shop.distanceMeters).toBeLessThan(350);

    const noodles = dishNamed(noodleHouse, '葱油拌面');
    ok(
      await addToCart(gateway, customer.token, {
        merchantId: noodleHouse.id,
        dishId: noodles.id,
        quantity: 2,
      }),
    );
    const shown = ok(await preview(customer, noodleHouse.id)).myCart!.checkoutPreview;
    expect(shown.distanceMeters).toBe(shop.distanceMeters);
    expect(shown.estimatedDeliveryMinutes).toBe(shop.estimatedDeliveryMinutes);

    const plain = ok(
      await graphql<{ merchants: { edges: { distanceMeters: number | null }[] } }>(
        gateway,
        'query { merchants(first: 2) { edges { distanceMeters estimatedDeliveryMinutes } } }',
      ),
    ).merchants.edges;
    expect(plain.every((edge) => edge.distanceMeters === null)).toBe(true);
  });
});

describe('structured flavor choice', () => {
  const ADD = `mutation ($input: AddToCartInput!) {
    addToCart(input: $input) { items { dish { id } flavor quantity } }
  }`;

  it('adds to the same line as the deprecated text form, and refuses a wrong or mixed pick', async () => {
    const customer = await newCustomer(gateway, noodleHouse);
    const beef = dishNamed(noodleHouse, '红烧牛肉面');
    const [spice] = beef.flavors;
    const add = (input: Record<string, unknown>) =>
      graphql<{ addToCart: { items: { flavor: string | null; quantity: number }[] } }>(
        gateway,
        ADD,
        {
          token: customer.token,
          variables: { input: { merchantId: noodleHouse.id, dishId: beef.id, ...input } },
        },
      );
    const structured = ok(
      await add({ flavors: [{ name: spice!.name, option: spice!.options[1] }] }),
    );
    expect(structured.addToCart.items).toEqual([
      { dish: { id: beef.id }, flavor: spice!.options[1], quantity: 1 },
    ]);
    const text = ok(await add({ flavor: spice!.options[1] }));
    expect(text.addToCart.items).toEqual([
      { dish: { id: beef.id }, flavor: spice!.options[1], quantity: 2 },
    ]);

    for (const input of [
      { flavors: [{ name: spice!.name, option: 'no such option' }] },
      { flavors: [{ name: 'no such choice', option: spice!.options[0] }] },
      { flavors: [] },
      { flavors: [{ name: spice!.name, option: spice!.options[0] }], flavor: spice!.options[0] },
    ]) {
      const refused = await add(input);
      expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors![0]!.extensions?.field).toBe('flavors');
    }
    // Nothing was added by the refusals.
    const cart = ok(await preview(customer, noodleHouse.id)).myCart!.checkoutPreview;
    expect(cart.lines).toMatchObject([{ quantity: 2 }]);
  });
});

describe('OrderConnection.totalCount', () => {
  it('counts the whole list whatever the page, per status, and is null for a substring filter', async () => {
    const customer = await newCustomer(gateway, noodleHouse);
    const noodles = dishNamed(noodleHouse, '葱油拌面');
    for (let i = 0; i < 2; i++) {
      ok(
        await addToCart(gateway, customer.token, {
          merchantId: noodleHouse.id,
          dishId: noodles.id,
          quantity: 2,
        }),
      );
      ok(await place(customer, noodleHouse.id));
    }
    const mine = (status: string | null) =>
      graphql<{ myOrders: { totalCount: number; edges: unknown[] } }>(
        gateway,
        'query ($status: OrderStatus) { myOrders(first: 1, status: $status) { totalCount edges { cursor } } }',
        { token: customer.token, variables: { status } },
      );
    expect(ok(await mine(null)).myOrders).toMatchObject({ totalCount: 2, edges: [{}] });
    expect(ok(await mine('PENDING_PAYMENT')).myOrders.totalCount).toBe(2);
    expect(ok(await mine('COMPLETED')).myOrders).toEqual({ totalCount: 0, edges: [] });

    const staff = await signIn(gateway, 'staff-noodle-house');
    const merchantOrders = (filter: Record<string, unknown>) =>
      graphql<{ merchantOrders: { totalCount: number | null } }>(
        gateway,
        'query ($m: ID!, $f: MerchantOrderFilter) { merchantOrders(merchantId: $m, filter: $f, first: 1) { totalCount } }',
        { token: staff, variables: { m: noodleHouse.id, f: filter } },
      );
    expect(ok(await merchantOrders({})).merchantOrders.totalCount).toBeGreaterThanOrEqual(2);
    expect(ok(await merchantOrders({ phone: '0000' })).merchantOrders.totalCount).toBeNull();
  });
});
