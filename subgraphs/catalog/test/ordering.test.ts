import { randomUUID } from 'node:crypto';
import { merchants as demoMerchants } from '@sky/demo-data';
import { RedisStreamTransport } from '@sky/events';
import { createLogger } from '@sky/logging';
import { requestInternal } from '@sky/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDate, localClock } from '../src/domain/business-hours.ts';
import { dataOf, refusal, startCatalog, type TestCatalog } from './helpers.ts';

/**
 * The catalog's internal endpoints (contracts: @sky/contracts) as the order subgraph calls them, and its
 * `order.cancelled` consumer. A test merchant of its own keeps the numbers exact.
 */

let catalog: TestCatalog;
const kitchen = { id: randomUUID(), latitude: 31.2, longitude: 121.4 };
const near = { latitude: 31.201, longitude: 121.401 };
const far = { latitude: 31.3, longitude: 121.4 };
const ids = {
  mains: randomUUID(),
  hidden: randomUUID(),
  combos: randomUUID(),
  rice: randomUUID(),
  limited: randomUUID(),
  pair: randomUUID(),
  offSale: randomUUID(),
  hiddenDish: randomUUID(),
  combo: randomUUID(),
  brokenCombo: randomUUID(),
};
const otherMerchantsDish = demoMerchants[1]!.dishes[0]!;

beforeAll(async () => {
  catalog = await startCatalog();
  const { prisma } = catalog.subgraph;
  await prisma.merchant.create({
    data: {
      id: kitchen.id,
      name: 'Test Kitchen',
      phone: '021-5550-9999',
      address: 'Test road 1',
      latitude: kitchen.latitude,
      longitude: kitchen.longitude,
      status: 'OPEN',
      timezone: 'Asia/Shanghai',
      deliveryRadiusMeters: 3000,
      minimumOrderAmount: 2000,
      deliveryFeeAmount: 300,
      packingFeePerItemAmount: 100,
      businessHours: {
        create: [1, 2, 3, 4, 5, 6, 7].map((dayOfWeek) => ({
          dayOfWeek,
          opensAtMinute: 0,
          closesAtMinute: 1440,
        })),
      },
    },
  });
  await prisma.category.createMany({
    data: [
      { id: ids.mains, merchantId: kitchen.id, name: 'Mains', type: 'DISH' },
      { id: ids.hidden, merchantId: kitchen.id, name: 'Hidden', type: 'DISH', enabled: false },
      { id: ids.combos, merchantId: kitchen.id, name: 'Combos', type: 'SET_MEAL' },
    ],
  });
  const dish = (id: string, name: string, priceAmount: number, extra: object = {}) => ({
    id,
    merchantId: kitchen.id,
    categoryId: ids.mains,
    name,
    priceAmount,
    imageUrl: `https://images.example/${name}.jpg`,
    ...extra,
  });
  await prisma.dish.createMany({
    data: [
      dish(ids.rice, 'Rice', 1500),
      dish(ids.limited, 'Limited', 1200, { dailyStock: 10 }),
      dish(ids.pair, 'Pair', 800, { dailyStock: 5 }),
      dish(ids.offSale, 'Off sale', 900, { onSale: false }),
      dish(ids.hiddenDish, 'Hidden dish', 900, { categoryId: ids.hidden }),
    ],
  });
  await prisma.dishFlavor.createMany({
    data: [
      { dishId: ids.rice, name: '辣度', options: ['不辣', '微辣'], sortOrder: 0 },
      { dishId: ids.rice, name: '温度', options: ['去冰', '少冰'], sortOrder: 1 },
    ],
  });
  await prisma.setMeal.createMany({
    data: [
      {
        id: ids.combo,
        merchantId: kitchen.id,
        categoryId: ids.combos,
        name: 'Combo',
        priceAmount: 2500,
      },
      // Only reachable by writing the database directly: the API keeps set meals with an
      // off-sale dish off sale. Quotes refuse it anyway.
      {
        id: ids.brokenCombo,
        merchantId: kitchen.id,
        categoryId: ids.combos,
        name: 'Broken',
        priceAmount: 100,
      },
    ],
  });
  await prisma.setMealItem.createMany({
    data: [
      { setMealId: ids.combo, merchantId: kitchen.id, dishId: ids.pair, copies: 2 },
      { setMealId: ids.combo, merchantId: kitchen.id, dishId: ids.rice, copies: 1, sortOrder: 1 },
      { setMealId: ids.brokenCombo, merchantId: kitchen.id, dishId: ids.offSale, copies: 1 },
    ],
  });
});

afterAll(async () => {
  await catalog?.stop();
});

const stockLeft = async (dishId: string) =>
  dataOf(
    await catalog.gql<{ dish: { stockLeftToday: number | null } }>(
      `query ($id: ID!) { dish(id: $id) { stockLeftToday } }`,
      { id: dishId },
    ),
  ).dish.stockLeftToday;

const reservedInDatabase = async (dishId: string) =>
  (await catalog.subgraph.prisma.dishDailyStock.findMany({ where: { dishId } })).reduce(
    (sum, row) => sum + row.reserved,
    0,
  );

describe('quote-item', () => {
  it('prices a dish with its flavor normalized to the dish order', async () => {
    expect(
      await catalog.internal('quote-item', {
        merchantId: kitchen.id,
        dishId: ids.rice,
        flavor: ' 少冰 ，微辣',
      }),
    ).toEqual({
      dishId: ids.rice,
      setMealId: null,
      merchantId: kitchen.id,
      name: 'Rice',
      imageUrl: 'https://images.example/Rice.jpg',
      flavor: '微辣,少冰',
      unitPrice: { amount: 1500, currency: 'CNY' },
    });
    expect(
      await catalog.internal('quote-item', { merchantId: kitchen.id, setMealId: ids.combo }),
    ).toMatchObject({
      setMealId: ids.combo,
      dishId: null,
      flavor: null,
      unitPrice: { amount: 2500 },
    });
  });

  it('refuses with the contract codes', async () => {
    const quote = (body: object) =>
      refusal(catalog.internal('quote-item', { merchantId: kitchen.id, ...body }));
    expect(await quote({ dishId: ids.rice })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'flavor',
    });
    expect(await quote({ dishId: ids.rice, flavor: '重辣,少冰' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'flavor',
    });
    expect(await quote({ dishId: ids.rice, flavor: '微辣' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'flavor',
    });
    expect(await quote({ setMealId: ids.combo, flavor: '微辣' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'flavor',
    });
    expect(await quote({ dishId: ids.offSale })).toMatchObject({
      code: 'ITEM_UNAVAILABLE',
      dishId: ids.offSale,
    });
    expect(await quote({ dishId: ids.hiddenDish })).toMatchObject({ code: 'ITEM_UNAVAILABLE' });
    expect(await quote({ dishId: otherMerchantsDish.id })).toMatchObject({
      code: 'ITEM_UNAVAILABLE',
    });
    expect(await quote({ setMealId: ids.brokenCombo })).toMatchObject({ code: 'ITEM_UNAVAILABLE' });
    expect(await quote({ dishId: randomUUID() })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await quote({ setMealId: randomUUID() })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await quote({ merchantId: randomUUID(), dishId: ids.rice })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await quote({ dishId: ids.pair, setMealId: ids.combo })).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    expect(await quote({})).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await quote({ dishId: 'not-a-uuid' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'dishId',
    });
  });

  it('is served to holders of the service token only', async () => {
    await expect(
      requestInternal(
        { baseUrl: catalog.url, token: 'wrong-token-wrong-token-wrong-token', timeoutMs: 5000 },
        'quote-item',
        { merchantId: kitchen.id, dishId: ids.pair },
      ),
    ).rejects.toThrow(/HTTP 401/);
  });
});

describe('quote-order', () => {
  const quote = (body: object) =>
    catalog.internal<Record<string, unknown>>('quote-order', {
      merchantId: kitchen.id,
      deliverTo: near,
      items: [{ dishId: ids.rice, flavor: '不辣,去冰', quantity: 2 }],
      ...body,
    });
  /**
   * The refusal placing the order would get, as `{ code, ...extensions }`: the assessment's
   * (data) or, when nothing could be assessed, the call's error.
   */
  const refused = async (body: object) => {
    let assessment: { refusal: { extensions: Record<string, unknown> } | null };
    try {
      assessment = (await quote(body)) as typeof assessment;
    } catch (error) {
      return refusal(Promise.reject(error));
    }
    if (!assessment.refusal) throw new Error('expected a refusal');
    return assessment.refusal.extensions;
  };

  it('computes prices, packing fee per unit, delivery fee and total from catalog data', async () => {
    expect(
      await quote({
        items: [
          { dishId: ids.rice, flavor: '不辣,去冰', quantity: 2 },
          { setMealId: ids.combo, quantity: 1 },
        ],
      }),
    ).toEqual({
      merchant: {
        id: kitchen.id,
        name: 'Test Kitchen',
        currency: 'CNY',
        location: { latitude: kitchen.latitude, longitude: kitchen.longitude },
        open: true,
        deliveryRadiusMeters: 3000,
        minimumOrder: { amount: 2000, currency: 'CNY' },
        // The column's default: the merchant never set one.
        defaultPrepMinutes: 15,
      },
      distanceMeters: expect.any(Number),
      estimatedDeliveryMinutes: expect.any(Number),
      refusal: null,
      quote: {
        lines: [
          {
            dishId: ids.rice,
            setMealId: null,
            name: 'Rice',
            imageUrl: 'https://images.example/Rice.jpg',
            flavor: '不辣,去冰',
            quantity: 2,
            unitPrice: { amount: 1500, currency: 'CNY' },
            lineTotal: { amount: 3000, currency: 'CNY' },
          },
          {
            dishId: null,
            setMealId: ids.combo,
            name: 'Combo',
            imageUrl: null,
            flavor: null,
            quantity: 1,
            unitPrice: { amount: 2500, currency: 'CNY' },
            lineTotal: { amount: 2500, currency: 'CNY' },
          },
        ],
        itemsTotal: { amount: 5500, currency: 'CNY' },
        packingFee: { amount: 300, currency: 'CNY' },
        deliveryFee: { amount: 300, currency: 'CNY' },
        total: { amount: 6100, currency: 'CNY' },
      },
    });
  });

  it('refuses when the shop is closed, paused or outside its business hours (SHOP_CLOSED)', async () => {
    const { prisma } = catalog.subgraph;
    const closedBy = async (change: () => Promise<unknown>, restore: () => Promise<unknown>) => {
      await change();
      try {
        expect(await refused({})).toMatchObject({ code: 'SHOP_CLOSED' });
      } finally {
        await restore();
      }
    };
    const merchant = { where: { id: kitchen.id } };
    await closedBy(
      () => prisma.merchant.update({ ...merchant, data: { status: 'CLOSED' } }),
      () => prisma.merchant.update({ ...merchant, data: { status: 'OPEN' } }),
    );
    await closedBy(
      () =>
        prisma.merchant.update({
          ...merchant,
          data: { pausedUntil: new Date(Date.now() + 60_000) },
        }),
      () => prisma.merchant.update({ ...merchant, data: { pausedUntil: null } }),
    );
    // Open only on another day of the week than today (in the merchant's time zone).
    const today = localClock(new Date(), 'Asia/Shanghai').isoDay;
    await closedBy(
      () =>
        prisma.businessHours.deleteMany({
          where: { merchantId: kitchen.id, dayOfWeek: today },
        }),
      () =>
        prisma.businessHours.create({
          data: {
            merchantId: kitchen.id,
            dayOfWeek: today,
            opensAtMinute: 0,
            closesAtMinute: 1440,
          },
        }),
    );
    expect(await quote({})).toMatchObject({
      refusal: null,
      quote: { total: { amount: 3000 + 200 + 300 } },
    });
  });

  it('answers the amounts with a refusal that does not stop pricing, and the first refusal only', async () => {
    const outOfRange = await quote({ deliverTo: far, items: [{ dishId: ids.pair, quantity: 1 }] });
    // Out of range and below the minimum: the range is checked first, the amounts are there.
    expect(outOfRange).toMatchObject({
      merchant: { open: true, deliveryRadiusMeters: 3000 },
      refusal: {
        code: 'OUT_OF_DELIVERY_RANGE',
        message: expect.stringContaining('delivers within'),
      },
      quote: { itemsTotal: { amount: 800 }, deliveryFee: { amount: 300 } },
    });
    expect((outOfRange as { distanceMeters: number }).distanceMeters).toBeGreaterThan(3000);
    expect(await quote({ items: [{ dishId: ids.offSale, quantity: 1 }] })).toMatchObject({
      quote: null,
      refusal: { code: 'ITEM_UNAVAILABLE' },
    });
  });

  it('refuses each other case with its code', async () => {
    expect(await refused({ deliverTo: far })).toMatchObject({
      code: 'OUT_OF_DELIVERY_RANGE',
      deliveryRadiusMeters: 3000,
    });
    expect(await refused({ items: [{ dishId: ids.pair, quantity: 1 }] })).toMatchObject({
      code: 'BELOW_MINIMUM_ORDER',
      minimumOrder: { amount: 2000, currency: 'CNY' },
      itemsTotal: { amount: 800, currency: 'CNY' },
    });
    expect(await refused({ items: [{ dishId: ids.offSale, quantity: 3 }] })).toMatchObject({
      code: 'ITEM_UNAVAILABLE',
      dishId: ids.offSale,
    });
    expect(await refused({ items: [{ setMealId: ids.brokenCombo, quantity: 30 }] })).toMatchObject({
      code: 'ITEM_UNAVAILABLE',
      setMealId: ids.brokenCombo,
    });
    expect(await refused({ items: [{ dishId: ids.hiddenDish, quantity: 3 }] })).toMatchObject({
      code: 'ITEM_UNAVAILABLE',
    });
    expect(await refused({ items: [{ dishId: randomUUID(), quantity: 3 }] })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(
      await refused({ items: [{ dishId: ids.rice, flavor: '辣', quantity: 3 }] }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'flavor', dishId: ids.rice });
    expect(await refused({ items: [{ dishId: ids.limited, quantity: 0 }] })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'items.0.quantity',
    });
    expect(await refused({ items: [] })).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await refused({ merchantId: randomUUID() })).toMatchObject({ code: 'NOT_FOUND' });
    // SOLD_OUT counts a set meal's copies: 3 combos need 6 of Pair, 5 are left.
    expect(await refused({ items: [{ dishId: ids.limited, quantity: 11 }] })).toMatchObject({
      code: 'SOLD_OUT',
      dishId: ids.limited,
    });
    expect(await refused({ items: [{ setMealId: ids.combo, quantity: 3 }] })).toMatchObject({
      code: 'SOLD_OUT',
      dishId: ids.pair,
    });
  });
});

describe('reserve-stock', () => {
  const reserve = (orderId: string, items: object[]) =>
    catalog.internal<{ reserved: boolean }>('reserve-stock', {
      orderId,
      merchantId: kitchen.id,
      items,
    });

  it('gives exactly 10 of 50 concurrent 1-unit reservations the last 10 units, never below zero', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        reserve(randomUUID(), [{ dishId: ids.limited, quantity: 1 }]),
      ),
    );
    const succeeded = results.filter((result) => result.status === 'fulfilled');
    const refusals = results
      .filter((result): result is PromiseRejectedResult => result.status === 'rejected')
      .map(
        (result) =>
          (result.reason as { extensions?: { code?: string; dishId?: string } }).extensions,
      );
    expect(succeeded).toHaveLength(10);
    expect(refusals).toHaveLength(40);
    expect(refusals.every((e) => e?.code === 'SOLD_OUT' && e.dishId === ids.limited)).toBe(true);
    expect(await stockLeft(ids.limited)).toBe(0);
    expect(await reservedInDatabase(ids.limited)).toBe(10);
    expect(
      await catalog.subgraph.prisma.stockReservationItem.aggregate({
        where: { dishId: ids.limited },
        _sum: { quantity: true },
        _count: true,
      }),
    ).toMatchObject({ _sum: { quantity: 10 }, _count: 10 });
  });

  it('is idempotent per order, also for concurrent repeats, and expands set meals', async () => {
    const orderId = randomUUID();
    const items = [{ setMealId: ids.combo, quantity: 1 }];
    expect(await reserve(orderId, items)).toEqual({ reserved: true });
    expect(await stockLeft(ids.pair)).toBe(3);
    const repeats = await Promise.all(Array.from({ length: 5 }, () => reserve(orderId, items)));
    expect(repeats).toEqual(Array(5).fill({ reserved: true }));
    expect(await stockLeft(ids.pair)).toBe(3);
    const recorded = await catalog.subgraph.prisma.stockReservationItem.findMany({
      where: { orderId },
    });
    // Only dishes with a daily stock are recorded (Rice is unlimited), on the local business day.
    expect(recorded).toEqual([
      {
        orderId,
        dishId: ids.pair,
        quantity: 2,
        businessDate: businessDate(new Date(), 'Asia/Shanghai'),
      },
    ]);
    // Concurrent first calls for one order take the stock once too.
    const racing = randomUUID();
    await Promise.all(
      Array.from({ length: 5 }, () => reserve(racing, [{ dishId: ids.pair, quantity: 1 }])),
    );
    expect(await stockLeft(ids.pair)).toBe(2);

    // Release both, so the stock is back to 5 for the next tests.
    for (const order of [orderId, racing]) {
      await catalog.subgraph.handleEvent(cancelled(order));
    }
    expect(await stockLeft(ids.pair)).toBe(5);
  });

  it('refuses a body that breaks its contract, naming the field, and takes nothing', async () => {
    const orderId = randomUUID();
    const before = await stockLeft(ids.pair);
    for (const [body, field] of [
      [
        { orderId, merchantId: kitchen.id, items: [{ dishId: ids.pair, quantity: 0 }] },
        'items.0.quantity',
      ],
      [
        { orderId, merchantId: kitchen.id, items: [{ dishId: ids.pair, quantity: '2' }] },
        'items.0.quantity',
      ],
      [{ orderId, merchantId: kitchen.id, items: [] }, 'items'],
      [
        { orderId: 'x', merchantId: kitchen.id, items: [{ dishId: ids.pair, quantity: 1 }] },
        'orderId',
      ],
      [{ orderId, items: [{ dishId: ids.pair, quantity: 1 }] }, 'merchantId'],
    ] as const) {
      expect(await refusal(catalog.internal('reserve-stock', body))).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
      });
    }
    expect(await stockLeft(ids.pair)).toBe(before);
    expect(await catalog.subgraph.prisma.stockReservation.count({ where: { orderId } })).toBe(0);
  });

  it('takes nothing when one dish is sold out (all or nothing)', async () => {
    expect(
      await refusal(
        reserve(randomUUID(), [
          { dishId: ids.pair, quantity: 2 },
          { dishId: ids.rice, quantity: 1 },
          { dishId: ids.limited, quantity: 1 },
        ]),
      ),
    ).toMatchObject({ code: 'SOLD_OUT', dishId: ids.limited });
    expect(await stockLeft(ids.pair)).toBe(5);
    expect(
      await refusal(reserve(randomUUID(), [{ dishId: otherMerchantsDish.id, quantity: 1 }])),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('reads the business day in the merchant’s time zone', async () => {
    const { prisma } = catalog.subgraph;
    // UTC+14 and UTC-11 are never on the same calendar day.
    for (const timezone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      await prisma.merchant.update({ where: { id: kitchen.id }, data: { timezone } });
      const orderId = randomUUID();
      await reserve(orderId, [{ dishId: ids.pair, quantity: 1 }]);
      const [item] = await prisma.stockReservationItem.findMany({ where: { orderId } });
      expect(item!.businessDate).toEqual(businessDate(new Date(), timezone));
      await catalog.subgraph.handleEvent(cancelled(orderId));
    }
    await prisma.merchant.update({
      where: { id: kitchen.id },
      data: { timezone: 'Asia/Shanghai' },
    });
    expect(await stockLeft(ids.pair)).toBe(5);
  });
});

/** An `order.cancelled` event as the order subgraph publishes it (its contract: @sky/contracts). */
function cancelled(orderId: string, eventId = randomUUID()) {
  return {
    id: eventId,
    type: 'order.cancelled',
    producer: 'order',
    aggregateType: 'order',
    aggregateId: orderId,
    payload: {
      orderId,
      customerId: randomUUID(),
      merchantId: kitchen.id,
      previousStatus: 'PENDING_PAYMENT',
      wasPaid: false,
      actor: 'CUSTOMER',
      reason: null,
      at: new Date().toISOString(),
    },
    createdAt: new Date().toISOString(),
  };
}

describe('order.cancelled releases the reservation once', () => {
  const reserve = (orderId: string, quantity: number) =>
    catalog.internal('reserve-stock', {
      orderId,
      merchantId: kitchen.id,
      items: [{ dishId: ids.pair, quantity }],
    });

  it('when the handler runs twice for the same event', async () => {
    const orderId = randomUUID();
    await reserve(orderId, 3);
    expect(await stockLeft(ids.pair)).toBe(2);
    const event = cancelled(orderId);
    for (let i = 0; i < 2; i++) {
      await catalog.subgraph.handleEvent(event);
    }
    expect(await stockLeft(ids.pair)).toBe(5);
    expect(
      await catalog.subgraph.prisma.stockReservation.findUnique({ where: { orderId } }),
    ).toMatchObject({ status: 'RELEASED', releasedAt: expect.any(Date) });
    // Concurrent handlers for a second order: one gives the stock back.
    const second = randomUUID();
    await reserve(second, 2);
    await Promise.all(
      Array.from({ length: 4 }, () => catalog.subgraph.handleEvent(cancelled(second))),
    );
    expect(await stockLeft(ids.pair)).toBe(5);
  });

  it('when the event reaches the running consumer twice through Redis', async () => {
    const orderId = randomUUID();
    await reserve(orderId, 4);
    expect(await stockLeft(ids.pair)).toBe(1);
    const transport = new RedisStreamTransport(
      catalog.subgraph.runtime.config.redisUrl!,
      catalog.subgraph.runtime.config.events.namespace,
      createLogger('test', 'silent'),
    );
    const event = cancelled(orderId);
    // The publisher refuses commands until it has connected: retry for a moment.
    const publish = async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await transport.append('events', JSON.stringify(event));
        } catch (error) {
          if (attempt > 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    try {
      await publish();
      await publish();
    } finally {
      await transport.close();
    }
    const deadline = Date.now() + 15_000;
    while ((await stockLeft(ids.pair)) !== 5 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await stockLeft(ids.pair)).toBe(5);
    // Give the duplicate time to arrive, then check it changed nothing.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await stockLeft(ids.pair)).toBe(5);
    expect(await reservedInDatabase(ids.pair)).toBe(0);
    expect(
      await catalog.subgraph.prisma.processedEvent.count({ where: { eventId: event.id } }),
    ).toBe(1);
  });

  it('only through order.cancelled: there is no release endpoint to call instead', async () => {
    await expect(
      catalog.internal('release-stock', { orderId: randomUUID(), merchantId: kitchen.id }),
    ).rejects.toThrow(/HTTP 404/);
  });

  it('before the reservation: a late reservation for the cancelled order takes nothing', async () => {
    const orderId = randomUUID();
    await catalog.subgraph.handleEvent(cancelled(orderId));
    expect(await refusal(reserve(orderId, 1))).toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
    expect(await stockLeft(ids.pair)).toBe(5);
  });
});
