import type { Role } from '@sky/auth';
import { RedisStreamTransport } from '@sky/events';
import { createLogger } from '@sky/logging';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderStatus } from '../src/stores/index.ts';
import { merchantChannel, orderChannel } from '../src/live/channels.ts';
import {
  codeOf,
  insertOrder,
  ok,
  startOrderSubgraph,
  waitFor,
  type OrderHarness,
} from './harness.ts';
import {
  deliveryEvent,
  paymentSucceeded,
  errorCodes,
  handleEvent,
  LiveObserver,
  subscribe,
  type TestSubscription,
} from './live-helpers.ts';

/**
 * The order subgraph's subscriptions over graphql-ws, against the subgraph itself (the gateway
 * forwards to exactly this): who may follow an order or a merchant's feed, the first message
 * being the current state, strictly increasing versions, and a rider who loses the order losing
 * the stream.
 */

let h: OrderHarness;
let observer: LiveObserver;
let transport: RedisStreamTransport;
const open: TestSubscription[] = [];

const merchantId = randomUUID();
const otherMerchantId = randomUUID();
const rider = { userId: randomUUID(), riderId: randomUUID() };
const people = {
  customer: { userId: randomUUID(), roles: ['CUSTOMER'] as Role[] },
  stranger: { userId: randomUUID(), roles: ['CUSTOMER'] as Role[] },
  staff: { userId: randomUUID(), roles: ['MERCHANT_STAFF'] as Role[], merchantId },
  otherStaff: {
    userId: randomUUID(),
    roles: ['MERCHANT_STAFF'] as Role[],
    merchantId: otherMerchantId,
  },
  rider: { userId: rider.userId, roles: ['RIDER'] as Role[] },
  otherRider: { userId: randomUUID(), roles: ['RIDER'] as Role[] },
  admin: { userId: randomUUID(), roles: ['ADMIN'] as Role[] },
};
type Person = keyof typeof people;
const tokens = {} as Record<Person, string>;

beforeAll(async () => {
  h = await startOrderSubgraph();
  for (const [name, claims] of Object.entries(people)) tokens[name as Person] = h.token(claims);
  observer = new LiveObserver(h);
  transport = new RedisStreamTransport(
    h.env.REDIS_URL!,
    h.env.EVENT_NAMESPACE!,
    createLogger('order-test', 'silent'),
  );
});
afterAll(async () => {
  for (const subscription of open) await subscription.close();
  await transport?.close();
  await observer?.close();
  await h?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const newOrder = (status: OrderStatus) =>
  insertOrder(h.subgraph, { customerId: people.customer.userId, merchantId, status });

const ORDER_STATUS_CHANGED = `subscription($orderId: ID!) {
  orderStatusChanged(orderId: $orderId) { id status payStatus version deliveryWaiting }
}`;
const MERCHANT_ORDER_EVENTS = `subscription($merchantId: ID!) {
  merchantOrderEvents(merchantId: $merchantId) { kind at order { id status version } }
}`;

function follow(person: Person | null, orderId: string) {
  const subscription = subscribe(h, person && tokens[person], ORDER_STATUS_CHANGED, { orderId });
  open.push(subscription);
  return subscription;
}
function watchMerchant(person: Person | null, shop: string) {
  const subscription = subscribe(h, person && tokens[person], MERCHANT_ORDER_EVENTS, {
    merchantId: shop,
  });
  open.push(subscription);
  return subscription;
}

interface OrderEvent {
  id: string;
  status: OrderStatus;
  payStatus: string;
  version: number;
  deliveryWaiting: boolean;
}
const orderEvents = (subscription: TestSubscription) =>
  subscription.results.map(
    (r) => (r.data as { orderStatusChanged: OrderEvent }).orderStatusChanged,
  );

const mutate = (query: string, id: string, person: Person) =>
  h.run(query, { id }, tokens[person]).then(ok);
const ACCEPT = `mutation($id: ID!) { acceptOrder(id: $id) { id } }`;
const REMIND = `mutation($id: ID!) { remindOrder(id: $id) { remindedAt } }`;
const CANCEL = `mutation($id: ID!) { cancelOrder(id: $id, reason: "changed my mind") { id } }`;

/** A refusal is the only message: no data, the code, then the stream ends. */
async function expectRefused(subscription: TestSubscription, code: string) {
  const first = await subscription.nth(0);
  expect(first.data ?? null).toBeNull();
  expect(errorCodes(first)).toEqual([code]);
  await subscription.ended();
}

describe('orderStatusChanged', () => {
  it('sends the current state first, then every change with a strictly greater version', async () => {
    const order = await newOrder('PENDING_PAYMENT');
    const customer = follow('customer', order.id);
    const staff = follow('staff', order.id);
    const admin = follow('admin', order.id);
    for (const subscription of [customer, staff, admin]) {
      expect((await subscription.nth(0)).data).toEqual({
        orderStatusChanged: {
          id: order.id,
          status: 'PENDING_PAYMENT',
          payStatus: 'UNPAID',
          version: 1,
          deliveryWaiting: false,
        },
      });
    }

    // Every subscriber has its message before the next change, so none is coalesced with another.
    const step = async (index: number) => {
      for (const subscription of [customer, staff, admin]) await subscription.nth(index);
    };
    // Paid, through the real path: payment's event on Redis Streams, the worker, after commit.
    await transport.append('events', JSON.stringify(paymentSucceeded(order.id)));
    await step(1);
    // A repeated and a stale message on the channel: nothing is sent for them.
    await observer.publish(orderChannel(order.id), { orderId: order.id, version: 2 });
    await observer.publish(orderChannel(order.id), { orderId: order.id, version: 1 });
    await mutate(ACCEPT, order.id, 'staff');
    await step(2);
    await handleEvent(h, deliveryEvent('delivery.waiting', { orderId: order.id }));
    await step(3);
    await handleEvent(
      h,
      deliveryEvent('delivery.assigned', {
        orderId: order.id,
        riderId: rider.riderId,
        riderUserId: rider.userId,
      }),
    );
    await step(4);
    await handleEvent(
      h,
      deliveryEvent('delivery.picked_up', {
        orderId: order.id,
        riderId: rider.riderId,
        riderUserId: rider.userId,
      }),
    );
    await step(5);
    await handleEvent(
      h,
      deliveryEvent('delivery.delivered', {
        orderId: order.id,
        riderId: rider.riderId,
        riderUserId: rider.userId,
      }),
    );
    // COMPLETED is final: the stream completes after it.
    for (const subscription of [customer, staff, admin]) await subscription.ended();

    const expected = [
      ['PENDING_PAYMENT', 1, false],
      ['TO_BE_CONFIRMED', 2, false],
      ['CONFIRMED', 3, false],
      ['CONFIRMED', 4, true],
      ['CONFIRMED', 5, false],
      ['DELIVERY_IN_PROGRESS', 6, false],
      ['COMPLETED', 7, false],
    ];
    for (const subscription of [customer, staff, admin]) {
      expect(subscription.results.every((r) => !r.errors)).toBe(true);
      expect(
        orderEvents(subscription).map((e) => [e.status, e.version, e.deliveryWaiting]),
      ).toEqual(expected);
    }
  });

  it('refuses strangers (FORBIDDEN, no events), anonymous callers and unknown orders', async () => {
    const order = await newOrder('TO_BE_CONFIRMED');
    const refused = {
      stranger: follow('stranger', order.id),
      otherStaff: follow('otherStaff', order.id),
      otherRider: follow('otherRider', order.id),
      // A rider not (yet) assigned to the order.
      rider: follow('rider', order.id),
    };
    for (const subscription of Object.values(refused))
      await expectRefused(subscription, 'FORBIDDEN');
    await expectRefused(follow(null, order.id), 'UNAUTHENTICATED');
    // An unknown order: FORBIDDEN like someone else's (existence not revealed); admins NOT_FOUND.
    await expectRefused(follow('customer', randomUUID()), 'FORBIDDEN');
    await expectRefused(follow('customer', 'not-a-uuid'), 'FORBIDDEN');
    await expectRefused(follow('admin', randomUUID()), 'NOT_FOUND');

    // Changes of the order reach none of them.
    await mutate(ACCEPT, order.id, 'staff');
    await sleep(200);
    for (const subscription of Object.values(refused)) expect(subscription.results).toHaveLength(1);
  });

  it('ends the stream of a rider unassigned mid-way with FORBIDDEN; the customer keeps following', async () => {
    const order = await newOrder('CONFIRMED');
    const assigned = deliveryEvent('delivery.assigned', {
      orderId: order.id,
      riderId: rider.riderId,
      riderUserId: rider.userId,
    });
    await handleEvent(h, assigned);
    const riderStream = follow('rider', order.id);
    const customer = follow('customer', order.id);
    expect((await riderStream.nth(0)).data).toMatchObject({
      orderStatusChanged: { status: 'CONFIRMED', version: 2 },
    });
    await customer.nth(0);

    // While assigned, the rider follows the order's changes.
    await mutate(REMIND, order.id, 'customer');
    expect((await riderStream.nth(1)).data).toMatchObject({ orderStatusChanged: { version: 3 } });

    await handleEvent(
      h,
      deliveryEvent('delivery.unassigned', {
        orderId: order.id,
        riderId: rider.riderId,
        riderUserId: rider.userId,
        reason: 'rider cancelled',
      }),
    );
    const last = await riderStream.nth(2);
    expect(last.data ?? null).toBeNull();
    expect(errorCodes(last)).toEqual(['FORBIDDEN']);
    await riderStream.ended();
    expect((await customer.nth(2)).data).toMatchObject({ orderStatusChanged: { version: 4 } });

    // Later changes reach the customer, never the rider again; the rider cannot subscribe anew.
    await handleEvent(h, deliveryEvent('delivery.waiting', { orderId: order.id }));
    await customer.nth(3);
    expect(riderStream.results).toHaveLength(3);
    await expectRefused(follow('rider', order.id), 'FORBIDDEN');
    expect(
      codeOf(
        await h.run(`query($id: ID!) { order(id: $id) { id } }`, { id: order.id }, tokens.rider),
      ),
    ).toBe('NOT_FOUND');
  });

  it('stops sending once the client unsubscribes; subscribing again starts from the current state', async () => {
    const order = await newOrder('TO_BE_CONFIRMED');
    const subscription = follow('customer', order.id);
    await subscription.nth(0);
    await subscription.close();
    const live = await observer.listen(orderChannel(order.id));
    await mutate(ACCEPT, order.id, 'staff');
    await waitFor(async () => live.received.length === 1, 'the message');
    await sleep(100);
    expect(subscription.results).toHaveLength(1);
    await live.stop();
    // A client reconnecting gets the order as it is now first.
    const again = follow('customer', order.id);
    expect((await again.nth(0)).data).toMatchObject({
      orderStatusChanged: { status: 'CONFIRMED', version: 2 },
    });
  });
});

describe('merchantOrderEvents', () => {
  it("gives the merchant's staff new paid orders, reminders and cancellations", async () => {
    const staff = watchMerchant('staff', merchantId);
    const admin = watchMerchant('admin', merchantId);
    const otherShop = watchMerchant('otherStaff', otherMerchantId);
    // Subscriptions start listening when they are set up; wait until they do (a probe message
    // about an order of this merchant), then forget what the probes produced.
    const probe = await newOrder('CONFIRMED');
    await waitFor(async () => {
      await observer.publish(merchantChannel(merchantId), {
        kind: 'REMINDER',
        orderId: probe.id,
        at: new Date().toISOString(),
      });
      await sleep(25);
      return staff.results.length > 0 && admin.results.length > 0;
    }, 'the merchant subscriptions to listen');
    await sleep(100);
    const skip = { staff: staff.results.length, admin: admin.results.length };

    const order = await newOrder('PENDING_PAYMENT');
    await handleEvent(h, paymentSucceeded(order.id));
    await mutate(REMIND, order.id, 'customer');
    await mutate(CANCEL, order.id, 'customer');

    for (const [subscription, from] of [
      [staff, skip.staff],
      [admin, skip.admin],
    ] as const) {
      await subscription.nth(from + 2);
      const events = subscription.results
        .slice(from)
        .map(
          (r) =>
            (r.data as { merchantOrderEvents: { kind: string; at: string; order: { id: string } } })
              .merchantOrderEvents,
        );
      expect(events.map((e) => [e.kind, e.order.id])).toEqual([
        ['NEW_ORDER', order.id],
        ['REMINDER', order.id],
        ['CANCELLED', order.id],
      ]);
      expect(events.every((e) => !Number.isNaN(Date.parse(e.at)))).toBe(true);
    }
    // Another merchant's feed hears nothing of it.
    expect(otherShop.results).toHaveLength(0);
    expect(otherShop.isEnded()).toBe(false);
  });

  it("refuses everyone but that merchant's staff and admins", async () => {
    for (const person of ['otherStaff', 'customer', 'rider'] as const) {
      await expectRefused(watchMerchant(person, merchantId), 'FORBIDDEN');
    }
    await expectRefused(watchMerchant(null, merchantId), 'UNAUTHENTICATED');
  });
});
