import { generateKeyPair, type KeyPair } from '@sky/auth';
import { addresses, demoId, findDemoUser, merchants } from '@sky/demo-data';
import { reserveStock } from '@sky/contracts';
import { callInternal } from '@sky/server-kit';
import {
  createCatalogSubgraph,
  loadConfig as loadCatalogConfig,
  seedCatalogDemoData,
  type CatalogSubgraph,
} from '@sky/subgraph-catalog';
import {
  createUserSubgraph,
  loadConfig as loadUserConfig,
  seedUserDemoData,
  type UserSubgraph,
} from '@sky/subgraph-user';
import { createTestDatabase, graphql, type TestDatabase } from '@sky/testkit';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createInternalClients } from '../src/clients/internal-clients.ts';
import { loadConfig } from '../src/config.ts';
import {
  codeOf,
  eventsOf,
  ok,
  sharedTestEnv,
  startOrderSubgraph,
  waitFor,
  type OrderHarness,
} from './harness.ts';

/**
 * Carts and order placement against the real catalog and user subgraphs (their own databases,
 * seeded with the demo dataset), all three in server mode on one Redis event namespace, so
 * catalog's stock release on order.cancelled runs for real.
 */

const PAYMENT_TIMEOUT_SECONDS = 3;

let keys: KeyPair;
let catalogDb: TestDatabase;
let userDb: TestDatabase;
let catalog: CatalogSubgraph;
let user: UserSubgraph;
let h: OrderHarness;
let userUrl: string;
const env = () => h.env;

const [noodleHouse, goldenDumpling] = merchants as [(typeof merchants)[0], (typeof merchants)[0]];
const dish = (shop: typeof noodleHouse, prefix: string) =>
  shop.dishes.find((d) => d.name.startsWith(prefix))!;
const beefNoodles = dish(noodleHouse, '红烧牛肉面'); // 3200, spiciness
const scallionNoodles = dish(noodleHouse, '葱油拌面'); // 1800
const egg = dish(noodleHouse, '卤蛋'); // 300
const plumDrink = dish(noodleHouse, '酸梅汤'); // 800, ice
const beefCombo = noodleHouse.setMeals[0]!; // 3900
const threeDelicacy = dish(goldenDumpling, '三鲜水饺'); // 2600, 10 a day

const alice = findDemoUser('alice');
const bob = findDemoUser('bob');
const aliceHome = addresses.find((a) => a.id === demoId('address:alice:home'))!;
const aliceOffice = addresses.find((a) => a.id === demoId('address:alice:office'))!;
const bobHome = addresses.find((a) => a.id === demoId('address:bob:home'))!;
let aliceToken: string;
let bobToken: string;

beforeAll(async () => {
  keys = generateKeyPair();
  const shared = sharedTestEnv(keys, { PAYMENT_TIMEOUT_SECONDS: String(PAYMENT_TIMEOUT_SECONDS) });
  catalogDb = await createTestDatabase('catalog');
  userDb = await createTestDatabase('user');
  catalog = await createCatalogSubgraph(
    loadCatalogConfig({ ...shared, DATABASE_URL: catalogDb.url }),
  );
  const catalogUrl = (await catalog.listen(0, '127.0.0.1')).url;
  await seedCatalogDemoData(catalog);
  user = await createUserSubgraph(loadUserConfig({ ...shared, DATABASE_URL: userDb.url }));
  userUrl = (await user.listen(0, '127.0.0.1')).url;
  await seedUserDemoData(user);
  h = await startOrderSubgraph({
    keys,
    env: { ...shared, SUBGRAPH_CATALOG_URL: catalogUrl, SUBGRAPH_USER_URL: userUrl },
  });
  aliceToken = h.token({ userId: alice.id, roles: ['CUSTOMER'] });
  bobToken = h.token({ userId: bob.id, roles: ['CUSTOMER'] });
});
afterAll(async () => {
  await h?.stop();
  await catalog?.close();
  await user?.close();
  await catalogDb?.drop();
  await userDb?.drop();
});

const CART_FIELDS = `id itemCount subtotal { amount currency } merchant { id }
  items { id dish { id } setMeal { id } flavor quantity unitPrice { amount currency } name }`;
const ADD = `mutation($input: AddToCartInput!) { addToCart(input: $input) { ${CART_FIELDS} } }`;
const DECREMENT = `mutation($id: ID!) { decrementCartItem(cartItemId: $id) { ${CART_FIELDS} } }`;
const REMOVE = `mutation($id: ID!) { removeCartItem(cartItemId: $id) { ${CART_FIELDS} } }`;
const CLEAR = `mutation($merchantId: ID!) { clearCart(merchantId: $merchantId) }`;
const MY_CART = `query($merchantId: ID!) { myCart(merchantId: $merchantId) { ${CART_FIELDS} } }`;
const ORDER_FIELDS = `id orderNumber status payStatus version remark tablewareCount
  deliverAsSoonAsPossible scheduledDeliveryAt placedAt paymentDueAt cancelledBy cancelReason
  itemsTotal { amount currency } packingFee { amount } deliveryFee { amount } total { amount currency }
  items { dish { id } setMeal { id } name flavor quantity unitPrice { amount } lineTotal { amount } }
  address { contactName phone detail label location { latitude longitude } }
  pickupLocation { latitude longitude } deliveryWaiting
  statusHistory { from to actor actorUserId }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { ${ORDER_FIELDS} } }`;
const CANCEL = `mutation($id: ID!) { cancelOrder(id: $id, reason: "test") { id status } }`;
const REORDER = `mutation($id: ID!) { reorder(id: $id) {
  cart { ${CART_FIELDS} }
  lines { dish { id } setMeal { id } name flavor quantity previousUnitPrice { amount }
          currentUnitPrice { amount } outcome unavailableReason } } }`;

interface CartView {
  id: string;
  itemCount: number;
  subtotal: { amount: number; currency: string };
  items: {
    id: string;
    dish: { id: string } | null;
    setMeal: { id: string } | null;
    flavor: string | null;
    quantity: number;
    unitPrice: { amount: number };
    name: string;
  }[];
}
interface OrderView {
  id: string;
  orderNumber: string;
  status: string;
  payStatus: string;
  version: number;
  placedAt: string;
  paymentDueAt: string;
  itemsTotal: { amount: number; currency: string };
  packingFee: { amount: number };
  deliveryFee: { amount: number };
  total: { amount: number; currency: string };
  items: { name: string; quantity: number; unitPrice: { amount: number }; flavor: string | null }[];
  address: Record<string, unknown>;
  statusHistory: { from: string | null; to: string; actor: string; actorUserId: string | null }[];
  [field: string]: unknown;
}

async function add(
  token: string,
  input: {
    merchantId: string;
    dishId?: string;
    setMealId?: string;
    flavor?: string | null;
    quantity?: number;
  },
) {
  return h.run<{ addToCart: CartView }>(ADD, { input }, token);
}
const addOk = async (token: string, input: Parameters<typeof add>[1]) =>
  ok(await add(token, input)).addToCart;
const myCart = async (token: string, merchantId: string) =>
  ok(await h.run<{ myCart: CartView | null }>(MY_CART, { merchantId }, token)).myCart;
const clear = (token: string, merchantId: string) => h.run(CLEAR, { merchantId }, token);
const place = (token: string, input: Record<string, unknown>) =>
  h.run<{ placeOrder: OrderView }>(PLACE, { input }, token);

/** Units of a dish reserved today in the catalog's database (0 when nothing is). */
async function reservedUnits(dishId: string): Promise<number> {
  const rows = await catalog.prisma.dishDailyStock.findMany({ where: { dishId } });
  return rows.reduce((sum, row) => sum + row.reserved, 0);
}

beforeEach(async () => {
  for (const token of [aliceToken, bobToken]) {
    for (const shop of merchants) await clear(token, shop.id);
  }
});

describe('cart', () => {
  it('adds at catalog prices, merges the same dish and flavor, separates other flavors', async () => {
    await addOk(aliceToken, {
      merchantId: noodleHouse.id,
      dishId: beefNoodles.id,
      flavor: '微辣 Mild',
    });
    const twice = await addOk(aliceToken, {
      merchantId: noodleHouse.id,
      dishId: beefNoodles.id,
      flavor: '微辣 Mild',
      quantity: 2,
    });
    expect(twice.items).toHaveLength(1);
    expect(twice.items[0]).toMatchObject({
      quantity: 3,
      flavor: '微辣 Mild',
      unitPrice: { amount: 3200 },
    });
    const hot = await addOk(aliceToken, {
      merchantId: noodleHouse.id,
      dishId: beefNoodles.id,
      flavor: '重辣 Hot',
    });
    const combo = await addOk(aliceToken, { merchantId: noodleHouse.id, setMealId: beefCombo.id });
    expect(hot.items).toHaveLength(2);
    expect(combo.items).toHaveLength(3);
    expect(combo.items[2]).toMatchObject({
      setMeal: { id: beefCombo.id },
      dish: null,
      quantity: 1,
    });
    expect(combo.itemCount).toBe(5);
    expect(combo.subtotal).toEqual({ amount: 4 * 3200 + 3900, currency: 'CNY' });
    // Bob's cart at the same merchant is his own.
    expect(await myCart(bobToken, noodleHouse.id)).toBeNull();
  });

  it('passes the catalog refusals through', async () => {
    const badFlavor = await add(aliceToken, {
      merchantId: noodleHouse.id,
      dishId: beefNoodles.id,
      flavor: '超辣',
    });
    expect(codeOf(badFlavor)).toBe('BAD_USER_INPUT');
    expect(badFlavor.errors?.[0]?.extensions?.field).toBe('flavor');
    expect(
      codeOf(await add(aliceToken, { merchantId: noodleHouse.id, dishId: randomUUID() })),
    ).toBe('NOT_FOUND');
    // Another merchant's dish under this merchant's id.
    expect(
      codeOf(await add(aliceToken, { merchantId: noodleHouse.id, dishId: threeDelicacy.id })),
    ).toBe('ITEM_UNAVAILABLE');
    expect(
      codeOf(await add(aliceToken, { merchantId: noodleHouse.id, dishId: egg.id, quantity: 100 })),
    ).toBe('BAD_USER_INPUT');
    expect(await myCart(aliceToken, noodleHouse.id)).toBeNull();
  });

  it('keeps a line at 99 portions at most', async () => {
    await addOk(aliceToken, { merchantId: noodleHouse.id, dishId: egg.id, quantity: 99 });
    const over = await add(aliceToken, { merchantId: noodleHouse.id, dishId: egg.id });
    expect(codeOf(over)).toBe('BAD_USER_INPUT');
    expect((await myCart(aliceToken, noodleHouse.id))!.items[0]!.quantity).toBe(99);
  });

  it('decrements, removes and clears; the cart goes with its last line', async () => {
    await addOk(aliceToken, { merchantId: noodleHouse.id, dishId: egg.id, quantity: 2 });
    const cart = await addOk(aliceToken, {
      merchantId: noodleHouse.id,
      dishId: scallionNoodles.id,
    });
    const [eggLine, noodleLine] = cart.items as [CartView['items'][0], CartView['items'][0]];
    // Someone else's line is not found.
    expect(codeOf(await h.run(DECREMENT, { id: eggLine.id }, bobToken))).toBe('NOT_FOUND');
    const decremented = ok(
      await h.run<{ decrementCartItem: CartView }>(DECREMENT, { id: eggLine.id }, aliceToken),
    ).decrementCartItem;
    expect(decremented.items.find((i) => i.id === eggLine.id)?.quantity).toBe(1);
    const gone = ok(
      await h.run<{ decrementCartItem: CartView }>(DECREMENT, { id: eggLine.id }, aliceToken),
    ).decrementCartItem;
    expect(gone.items.map((i) => i.id)).toEqual([noodleLine.id]);
    const empty = ok(
      await h.run<{ removeCartItem: CartView | null }>(REMOVE, { id: noodleLine.id }, aliceToken),
    );
    expect(empty.removeCartItem).toBeNull();
    expect(codeOf(await h.run(REMOVE, { id: noodleLine.id }, aliceToken))).toBe('NOT_FOUND');
    expect(await h.subgraph.prisma.cart.count({ where: { customerId: alice.id } })).toBe(0);

    await addOk(aliceToken, { merchantId: noodleHouse.id, dishId: egg.id });
    expect(ok(await clear(aliceToken, noodleHouse.id))).toEqual({ clearCart: true });
    expect(ok(await clear(aliceToken, noodleHouse.id))).toEqual({ clearCart: false });
  });

  it('is for customers only', async () => {
    const staff = h.token({
      userId: randomUUID(),
      roles: ['MERCHANT_STAFF'],
      merchantId: noodleHouse.id,
    });
    expect(codeOf(await add(staff, { merchantId: noodleHouse.id, dishId: egg.id }))).toBe(
      'FORBIDDEN',
    );
    expect(
      codeOf(await h.run(ADD, { input: { merchantId: noodleHouse.id, dishId: egg.id } })),
    ).toBe('UNAUTHENTICATED');
  });
});

describe('placeOrder', () => {
  it('prices on the server, snapshots, clears the cart, announces and starts the payment timer', async () => {
    await addOk(aliceToken, {
      merchantId: noodleHouse.id,
      dishId: beefNoodles.id,
      flavor: '微辣 Mild',
      quantity: 2,
    });
    await addOk(aliceToken, {
      merchantId: noodleHouse.id,
      dishId: plumDrink.id,
      flavor: '少冰 Less ice',
    });
    const deliverAt = new Date(Date.now() + 3_600_000).toISOString();
    const order = ok(
      await place(aliceToken, {
        merchantId: noodleHouse.id,
        addressId: aliceHome.id,
        remark: '不要香菜',
        tablewareCount: 2,
        deliverAt,
        idempotencyKey: randomUUID(),
      }),
    ).placeOrder;
    const itemsTotal = 2 * 3200 + 800;
    const packingFee = 3 * noodleHouse.packingFeePerItemAmount;
    expect(order).toMatchObject({
      status: 'PENDING_PAYMENT',
      payStatus: 'UNPAID',
      version: 1,
      remark: '不要香菜',
      tablewareCount: 2,
      deliverAsSoonAsPossible: false,
      scheduledDeliveryAt: deliverAt,
      itemsTotal: { amount: itemsTotal, currency: 'CNY' },
      packingFee: { amount: packingFee },
      deliveryFee: { amount: noodleHouse.deliveryFeeAmount },
      total: { amount: itemsTotal + packingFee + noodleHouse.deliveryFeeAmount, currency: 'CNY' },
      address: {
        contactName: aliceHome.contactName,
        phone: aliceHome.phone,
        detail: aliceHome.detail,
        label: aliceHome.label,
        location: { latitude: aliceHome.latitude, longitude: aliceHome.longitude },
      },
      // The merchant's location from catalog's quote: where the rider will pick it up.
      pickupLocation: { latitude: noodleHouse.latitude, longitude: noodleHouse.longitude },
      deliveryWaiting: false,
      statusHistory: [
        { from: null, to: 'PENDING_PAYMENT', actor: 'CUSTOMER', actorUserId: alice.id },
      ],
    });
    expect(order.orderNumber).toMatch(/^SKY\d{18}$/);
    expect(order.items).toEqual([
      {
        dish: { id: beefNoodles.id },
        setMeal: null,
        name: beefNoodles.name,
        flavor: '微辣 Mild',
        quantity: 2,
        unitPrice: { amount: 3200 },
        lineTotal: { amount: 6400 },
      },
      {
        dish: { id: plumDrink.id },
        setMeal: null,
        name: plumDrink.name,
        flavor: '少冰 Less ice',
        quantity: 1,
        unitPrice: { amount: 800 },
        lineTotal: { amount: 800 },
      },
    ]);
    expect(new Date(order.paymentDueAt).getTime() - new Date(order.placedAt).getTime()).toBe(
      PAYMENT_TIMEOUT_SECONDS * 1000,
    );
    expect(await myCart(aliceToken, noodleHouse.id)).toBeNull();
    const events = await eventsOf(h.subgraph, order.id);
    expect(events.map((e) => e.type).sort()).toEqual(['order.placed', 'order.status_changed']);
    expect(events.find((e) => e.type === 'order.placed')!.payload).toEqual({
      orderId: order.id,
      orderNumber: order.orderNumber,
      customerId: alice.id,
      merchantId: noodleHouse.id,
      total: order.total,
      placedAt: order.placedAt,
      paymentDueAt: order.paymentDueAt,
    });
    // The integer travels as an integer: the column type is INTEGER, the JSON a number.
    expect(Number.isInteger(order.total.amount)).toBe(true);
  });

  it('refuses an empty cart, and the key stays usable', async () => {
    const key = randomUUID();
    const input = { merchantId: noodleHouse.id, addressId: aliceHome.id, idempotencyKey: key };
    const empty = await place(aliceToken, input);
    expect(codeOf(empty)).toBe('BAD_USER_INPUT');
    expect(empty.errors?.[0]?.extensions?.field).toBe('merchantId');
    await addOk(aliceToken, {
      merchantId: noodleHouse.id,
      dishId: scallionNoodles.id,
      quantity: 2,
    });
    ok(await place(aliceToken, input));
  });

  it('passes refusals through and leaves the cart and the stock as they were', async () => {
    const refused = async (token: string, input: Record<string, unknown>, code: string) => {
      const before = await h.subgraph.prisma.order.count();
      const response = await place(token, { idempotencyKey: randomUUID(), ...input });
      expect(codeOf(response), code).toBe(code);
      expect(await h.subgraph.prisma.order.count()).toBe(before);
      expect(await h.subgraph.prisma.idempotencyKey.count({ where: { orderId: null } })).toBe(0);
      return response;
    };
    // Below the minimum (2000): one egg.
    await addOk(aliceToken, { merchantId: noodleHouse.id, dishId: egg.id });
    await refused(
      aliceToken,
      { merchantId: noodleHouse.id, addressId: aliceHome.id },
      'BELOW_MINIMUM_ORDER',
    );
    // Someone else's address.
    await addOk(aliceToken, {
      merchantId: noodleHouse.id,
      dishId: scallionNoodles.id,
      quantity: 2,
    });
    await refused(aliceToken, { merchantId: noodleHouse.id, addressId: bobHome.id }, 'NOT_FOUND');
    // Outside the delivery radius: an address far away.
    const far = ok(
      await graphql<{ addAddress: { id: string } }>(
        userUrl,
        `
          mutation ($input: AddAddressInput!) {
            addAddress(input: $input) {
              id
            }
          }
        `,
        {
          token: aliceToken,
          variables: {
            input: {
              contactName: 'Alice',
              phone: '13800000001',
              detail: '北京市东城区',
              location: { latitude: 39.9042, longitude: 116.4074 },
            },
          },
        },
      ),
    ).addAddress;
    await refused(
      aliceToken,
      { merchantId: noodleHouse.id, addressId: far.id },
      'OUT_OF_DELIVERY_RANGE',
    );
    // A scheduled time too soon.
    await refused(
      aliceToken,
      {
        merchantId: noodleHouse.id,
        addressId: aliceHome.id,
        deliverAt: new Date(Date.now() + 60_000).toISOString(),
      },
      'BAD_USER_INPUT',
    );
    // Shop closed.
    await catalog.prisma.merchant.update({
      where: { id: noodleHouse.id },
      data: { status: 'CLOSED' },
    });
    try {
      await refused(
        aliceToken,
        { merchantId: noodleHouse.id, addressId: aliceHome.id },
        'SHOP_CLOSED',
      );
    } finally {
      await catalog.prisma.merchant.update({
        where: { id: noodleHouse.id },
        data: { status: 'OPEN' },
      });
    }
    // Off sale.
    await catalog.prisma.dish.update({
      where: { id: scallionNoodles.id },
      data: { onSale: false },
    });
    try {
      await refused(
        aliceToken,
        { merchantId: noodleHouse.id, addressId: aliceHome.id },
        'ITEM_UNAVAILABLE',
      );
    } finally {
      await catalog.prisma.dish.update({
        where: { id: scallionNoodles.id },
        data: { onSale: true },
      });
    }
    expect((await myCart(aliceToken, noodleHouse.id))!.itemCount).toBe(3);
    // Sold out: 11 of a dish with 10 a day.
    const reservedBefore = await reservedUnits(threeDelicacy.id);
    await addOk(aliceToken, {
      merchantId: goldenDumpling.id,
      dishId: threeDelicacy.id,
      quantity: 11,
    });
    const soldOut = await refused(
      aliceToken,
      { merchantId: goldenDumpling.id, addressId: aliceOffice.id },
      'SOLD_OUT',
    );
    expect(soldOut.errors?.[0]?.extensions?.dishId).toBe(threeDelicacy.id);
    expect(await reservedUnits(threeDelicacy.id)).toBe(reservedBefore);
    expect((await myCart(aliceToken, goldenDumpling.id))!.itemCount).toBe(11);
  });

  it('places one order per idempotency key, also for ten concurrent repeats', async () => {
    await addOk(aliceToken, {
      merchantId: noodleHouse.id,
      dishId: scallionNoodles.id,
      quantity: 2,
    });
    const input = {
      merchantId: noodleHouse.id,
      addressId: aliceHome.id,
      remark: 'ring twice',
      idempotencyKey: randomUUID(),
    };
    const before = await h.subgraph.prisma.order.count({ where: { customerId: alice.id } });
    const responses = await Promise.all(Array.from({ length: 10 }, () => place(aliceToken, input)));
    const ids = new Set(responses.map((r) => ok(r).placeOrder.id));
    expect(ids.size).toBe(1);
    expect(await h.subgraph.prisma.order.count({ where: { customerId: alice.id } })).toBe(
      before + 1,
    );
    // Sequential repeat: the same order, even though the cart is now empty.
    const again = ok(await place(aliceToken, input)).placeOrder;
    expect(again.id).toBe([...ids][0]);
    // The same key with a different input.
    const reused = await place(aliceToken, { ...input, remark: 'knock' });
    expect(codeOf(reused)).toBe('IDEMPOTENCY_KEY_REUSED');
    // Keys are per customer: Bob may use the same key for his own order.
    await addOk(bobToken, { merchantId: noodleHouse.id, dishId: scallionNoodles.id, quantity: 2 });
    const bobs = ok(await place(bobToken, { ...input, addressId: bobHome.id })).placeOrder;
    expect(bobs.id).not.toBe(again.id);
    expect(await h.subgraph.prisma.order.count({ where: { customerId: alice.id } })).toBe(
      before + 1,
    );
  });

  it('reserves stock, and releases it when the order is cancelled', async () => {
    const start = await reservedUnits(threeDelicacy.id);
    await addOk(aliceToken, {
      merchantId: goldenDumpling.id,
      dishId: threeDelicacy.id,
      quantity: 3,
    });
    const order = ok(
      await place(aliceToken, {
        merchantId: goldenDumpling.id,
        addressId: aliceOffice.id,
        idempotencyKey: randomUUID(),
      }),
    ).placeOrder;
    expect(await reservedUnits(threeDelicacy.id)).toBe(start + 3);
    ok(await h.run(CANCEL, { id: order.id }, aliceToken));
    await waitFor(async () => (await reservedUnits(threeDelicacy.id)) === start, 'stock release');
  });

  it('cancels an unpaid order at its payment deadline and releases its stock', async () => {
    const start = await reservedUnits(threeDelicacy.id);
    await addOk(aliceToken, {
      merchantId: goldenDumpling.id,
      dishId: threeDelicacy.id,
      quantity: 2,
    });
    const order = ok(
      await place(aliceToken, {
        merchantId: goldenDumpling.id,
        addressId: aliceOffice.id,
        idempotencyKey: randomUUID(),
      }),
    ).placeOrder;
    expect(await reservedUnits(threeDelicacy.id)).toBe(start + 2);
    const cancelled = await waitFor(
      async () => {
        const row = await h.subgraph.prisma.order.findUnique({ where: { id: order.id } });
        return row?.status === 'CANCELLED' ? row : null;
      },
      'the payment timeout',
      (PAYMENT_TIMEOUT_SECONDS + 10) * 1000,
    );
    expect(cancelled).toMatchObject({ cancelledBy: 'SYSTEM', cancelReason: 'payment timeout' });
    await waitFor(async () => (await reservedUnits(threeDelicacy.id)) === start, 'stock release');
  });
});

describe('nothing leaks when placement fails after reserving stock', () => {
  it('releases the reservation when the order cannot be created', async () => {
    // A second instance on the same database whose reserve-stock call reserves, then loses the answer.
    const real = createInternalClients(loadConfig(env()));
    let reservedOrderId: string | null = null;
    const flaky = await startOrderSubgraph({
      keys,
      env: env(),
      database: h.db,
      clients: {
        ...real,
        catalog: {
          ...real.catalog,
          reserveStock: async (input, requestId) => {
            await real.catalog.reserveStock(input, requestId);
            reservedOrderId = input.orderId;
            throw new Error('connection reset');
          },
        },
      },
    });
    try {
      const start = await reservedUnits(threeDelicacy.id);
      await addOk(aliceToken, {
        merchantId: goldenDumpling.id,
        dishId: threeDelicacy.id,
        quantity: 4,
      });
      const key = randomUUID();
      const input = {
        merchantId: goldenDumpling.id,
        addressId: aliceOffice.id,
        idempotencyKey: key,
      };
      const failed = await flaky.run(PLACE, { input }, aliceToken);
      expect(codeOf(failed)).toBe('INTERNAL_SERVER_ERROR');
      expect(reservedOrderId).not.toBeNull();
      expect(await h.subgraph.prisma.order.count({ where: { id: reservedOrderId! } })).toBe(0);
      const release = (await eventsOf(h.subgraph, reservedOrderId!)).find(
        (e) => e.type === 'order.cancelled',
      );
      expect(release?.payload).toMatchObject({ orderId: reservedOrderId, previousStatus: null });
      await waitFor(async () => (await reservedUnits(threeDelicacy.id)) === start, 'stock release');
      // The cart is intact and the key may be used again, on a healthy instance.
      expect((await myCart(aliceToken, goldenDumpling.id))!.itemCount).toBe(4);
      const order = ok(await place(aliceToken, input)).placeOrder;
      expect(order.id).not.toBe(reservedOrderId);
      expect(await reservedUnits(threeDelicacy.id)).toBe(start + 4);
      ok(await h.run(CANCEL, { id: order.id }, aliceToken));
      await waitFor(async () => (await reservedUnits(threeDelicacy.id)) === start, 'stock release');
    } finally {
      await flaky.stop();
    }
  });

  it('the cleanup timer releases a placement whose process died mid-way', async () => {
    const start = await reservedUnits(threeDelicacy.id);
    const reservedOrderId = randomUUID();
    // The dead placement: its claim, its stock, its cleanup timer (now due).
    const claim = await h.subgraph.prisma.idempotencyKey.create({
      data: { customerId: alice.id, key: randomUUID(), requestHash: 'x', reservedOrderId },
    });
    await callInternal(
      reserveStock,
      { baseUrl: env().SUBGRAPH_CATALOG_URL!, token: env().INTERNAL_API_TOKEN!, timeoutMs: 5_000 },
      {
        orderId: reservedOrderId,
        merchantId: goldenDumpling.id,
        items: [{ dishId: threeDelicacy.id, quantity: 2 }],
      },
    );
    expect(await reservedUnits(threeDelicacy.id)).toBe(start + 2);
    await h.subgraph.prisma.scheduledJob.create({
      data: {
        kind: 'order.placement_cleanup',
        key: `placement-cleanup:${reservedOrderId}`,
        dueAt: new Date(),
        payload: {
          claimId: claim.id,
          reservedOrderId,
          customerId: alice.id,
          merchantId: goldenDumpling.id,
        },
      },
    });
    await waitFor(async () => (await reservedUnits(threeDelicacy.id)) === start, 'stock release');
    expect(await h.subgraph.prisma.idempotencyKey.count({ where: { id: claim.id } })).toBe(0);
  });
});

describe('reorder', () => {
  it('puts a past order back at current prices and reports what changed', async () => {
    await addOk(aliceToken, {
      merchantId: noodleHouse.id,
      dishId: beefNoodles.id,
      flavor: '不辣 None',
    });
    await addOk(aliceToken, { merchantId: noodleHouse.id, dishId: egg.id, quantity: 2 });
    await addOk(aliceToken, { merchantId: noodleHouse.id, dishId: scallionNoodles.id });
    const past = ok(
      await place(aliceToken, {
        merchantId: noodleHouse.id,
        addressId: aliceHome.id,
        idempotencyKey: randomUUID(),
      }),
    ).placeOrder;
    await catalog.prisma.dish.update({
      where: { id: beefNoodles.id },
      data: { priceAmount: 3500 },
    });
    await catalog.prisma.dish.update({
      where: { id: scallionNoodles.id },
      data: { onSale: false },
    });
    try {
      // Another customer cannot reorder it.
      expect(codeOf(await h.run(REORDER, { id: past.id }, bobToken))).toBe('FORBIDDEN');
      const result = ok(
        await h.run<{
          reorder: { cart: CartView; lines: Record<string, unknown>[] };
        }>(REORDER, { id: past.id }, aliceToken),
      ).reorder;
      expect(result.lines).toEqual([
        {
          dish: { id: beefNoodles.id },
          setMeal: null,
          name: beefNoodles.name,
          flavor: '不辣 None',
          quantity: 1,
          previousUnitPrice: { amount: 3200 },
          currentUnitPrice: { amount: 3500 },
          outcome: 'PRICE_CHANGED',
          unavailableReason: null,
        },
        {
          dish: { id: egg.id },
          setMeal: null,
          name: egg.name,
          flavor: null,
          quantity: 2,
          previousUnitPrice: { amount: 300 },
          currentUnitPrice: { amount: 300 },
          outcome: 'ADDED',
          unavailableReason: null,
        },
        {
          dish: { id: scallionNoodles.id },
          setMeal: null,
          name: scallionNoodles.name,
          flavor: null,
          quantity: 1,
          previousUnitPrice: { amount: 1800 },
          currentUnitPrice: null,
          outcome: 'UNAVAILABLE',
          unavailableReason: 'ITEM_UNAVAILABLE',
        },
      ]);
      expect(result.cart.items.map((i) => [i.dish?.id, i.quantity, i.unitPrice.amount])).toEqual([
        [beefNoodles.id, 1, 3500],
        [egg.id, 2, 300],
      ]);
    } finally {
      await catalog.prisma.dish.update({
        where: { id: beefNoodles.id },
        data: { priceAmount: 3200 },
      });
      await catalog.prisma.dish.update({
        where: { id: scallionNoodles.id },
        data: { onSale: true },
      });
    }
  });
});
