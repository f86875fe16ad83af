import type { Role } from '@sky/auth';
import { RedisStreamTransport, scheduleJob, type DomainEvent } from '@sky/events';
import { createLogger } from '@sky/logging';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderStatus } from '../src/stores/index.ts';
import {
  merchantChannel,
  orderChannel,
  type MerchantOrderMessage,
  type OrderChangedMessage,
} from '../src/live/channels.ts';
import {
  codeOf,
  eventsOf,
  insertOrder,
  ok,
  orderSnapshot,
  startOrderSubgraph,
  waitFor,
  type OrderHarness,
} from './harness.ts';
import { deliveryEvent, handleEvent, LiveObserver, paymentSucceeded } from './live-helpers.ts';

/**
 * The order subgraph's side of delivery (issue 4): the delivery subgraph's events move the order
 * and its rider assignment (each idempotent, also out of order), the assigned rider may read the
 * order, order.confirmed tells delivery where to pick up, and every change is announced on the
 * live channels only once it has committed.
 */

let h: OrderHarness;
let observer: LiveObserver;
let transport: RedisStreamTransport;

const merchantId = randomUUID();
const rider = { userId: randomUUID(), riderId: randomUUID() };
const otherRider = { userId: randomUUID(), riderId: randomUUID() };
const people = {
  customer: { userId: randomUUID(), roles: ['CUSTOMER'] as Role[] },
  staff: { userId: randomUUID(), roles: ['MERCHANT_STAFF'] as Role[], merchantId },
  rider: { userId: rider.userId, roles: ['RIDER'] as Role[] },
  otherRider: { userId: otherRider.userId, roles: ['RIDER'] as Role[] },
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
  await transport?.close();
  await observer?.close();
  await h?.stop();
});

const newOrder = (status: OrderStatus) =>
  insertOrder(h.subgraph, { customerId: people.customer.userId, merchantId, status });

const row = (orderId: string) =>
  h.subgraph.prisma.order.findUniqueOrThrow({ where: { id: orderId } });

const assigned = (orderId: string, who = rider, at = new Date()) =>
  deliveryEvent('delivery.assigned', {
    orderId,
    riderId: who.riderId,
    riderUserId: who.userId,
    at,
  });
const unassigned = (orderId: string, who = rider, at = new Date()) =>
  deliveryEvent('delivery.unassigned', {
    orderId,
    riderId: who.riderId,
    riderUserId: who.userId,
    reason: 'declined',
    at,
  });
const riderEvent = (type: string, orderId: string, who = rider) =>
  deliveryEvent(type, {
    orderId,
    riderId: who.riderId,
    riderUserId: who.userId,
    ...(type === 'delivery.unassigned' ? { reason: 'declined' } : {}),
  });

const ORDER = `query($id: ID!) { order(id: $id) {
  id status version deliveryWaiting deliveryWaitingSince pickupLocation { latitude longitude }
  statusHistory { from to actor actorUserId } } }`;
const readOrder = (orderId: string, person: Person) =>
  h.run<{ order: Record<string, unknown> | null }>(ORDER, { id: orderId }, tokens[person]);

describe('delivery.assigned / delivery.unassigned', () => {
  it('remembers the rider, bumps the version once, and the rider may read the order', async () => {
    // An order the rider may not see is, to the rider, not there (missing or not yours: NOT_FOUND).
    const order = await newOrder('CONFIRMED');
    expect(codeOf(await readOrder(order.id, 'rider'))).toBe('NOT_FOUND');

    const event = assigned(order.id);
    await handleEvent(h, event);
    // Delivered twice (the handler itself, past the processed-events guard): no second change.
    await handleEvent(h, event);
    expect(await row(order.id)).toMatchObject({
      riderId: rider.riderId,
      riderUserId: rider.userId,
      version: 2,
    });
    expect(ok(await readOrder(order.id, 'rider')).order).toMatchObject({
      id: order.id,
      status: 'CONFIRMED',
      version: 2,
    });
    // Another rider, not assigned, still may not.
    expect(codeOf(await readOrder(order.id, 'otherRider'))).toBe('NOT_FOUND');
    // The rider's access goes through the Order field rules too (as the gateway fetches entities).
    const entities = await h.run<{ _entities: { id: string; status: string }[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id status } } }`,
      { r: [{ __typename: 'Order', id: order.id }] },
      tokens.rider,
    );
    expect(ok(entities)._entities).toEqual([{ id: order.id, status: 'CONFIRMED' }]);

    const gone = unassigned(order.id);
    await handleEvent(h, gone);
    await handleEvent(h, gone);
    expect(await row(order.id)).toMatchObject({ riderId: null, riderUserId: null, version: 3 });
    expect(codeOf(await readOrder(order.id, 'rider'))).toBe('NOT_FOUND');
    const entitiesAfter = await h.run(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id status } } }`,
      { r: [{ __typename: 'Order', id: order.id }] },
      tokens.rider,
    );
    expect(codeOf(entitiesAfter)).toBe('FORBIDDEN');
    // No status change: the history is untouched.
    expect((await orderSnapshot(h.subgraph, order.id)).history).toBe(1);
  });

  it('hands the order over from one rider to the next', async () => {
    const order = await newOrder('CONFIRMED');
    const t = Date.now();
    await handleEvent(h, assigned(order.id, rider, new Date(t)));
    await handleEvent(h, unassigned(order.id, rider, new Date(t + 1000)));
    await handleEvent(h, assigned(order.id, otherRider, new Date(t + 2000)));
    expect(await row(order.id)).toMatchObject({ riderUserId: otherRider.userId, version: 4 });
    expect(codeOf(await readOrder(order.id, 'rider'))).toBe('NOT_FOUND');
    ok(await readOrder(order.id, 'otherRider'));
    // The first rider's unassignment again, or another rider's: the current rider stays.
    await handleEvent(h, unassigned(order.id, rider, new Date(t + 3000)));
    expect(await row(order.id)).toMatchObject({ riderUserId: otherRider.userId, version: 4 });
  });

  it('ignores assignment events that arrive out of order', async () => {
    const order = await newOrder('CONFIRMED');
    const t = Date.now();
    // The unassignment overtakes its assignment: the late assignment must not grant access.
    await handleEvent(h, unassigned(order.id, rider, new Date(t + 1000)));
    await handleEvent(h, assigned(order.id, rider, new Date(t)));
    expect(await row(order.id)).toMatchObject({ riderId: null, riderUserId: null, version: 1 });
    expect(codeOf(await readOrder(order.id, 'rider'))).toBe('NOT_FOUND');
    // A newer assignment is applied; an older one arriving after it is not.
    await handleEvent(h, assigned(order.id, otherRider, new Date(t + 3000)));
    await handleEvent(h, assigned(order.id, rider, new Date(t + 2000)));
    expect(await row(order.id)).toMatchObject({ riderUserId: otherRider.userId, version: 2 });
  });

  it('handles each event once through the real worker (Redis Streams), even published twice', async () => {
    const order = await newOrder('CONFIRMED');
    const live = await observer.listen<OrderChangedMessage>(orderChannel(order.id));
    const event = assigned(order.id);
    const publish = (e: DomainEvent) => transport.append('events', JSON.stringify(e));
    await publish(event);
    await publish(event);
    await waitFor(
      async () =>
        (await h.subgraph.prisma.processedEvent.count({ where: { eventId: event.id } })) === 1,
      'the event to be handled',
    );
    await waitFor(async () => live.received.length >= 1, 'the live message');
    expect(await row(order.id)).toMatchObject({ riderUserId: rider.userId, version: 2 });
    expect(live.messages()).toEqual([{ orderId: order.id, version: 2 }]);
    // Committed before announced: the order as read on arrival already has the version.
    expect(live.received[0]!.orderAtArrival).toMatchObject({ version: 2 });
    await live.stop();
  });
});

describe('delivery.waiting', () => {
  it('shows the customer and the merchant that dispatch waits for a rider, until one is assigned', async () => {
    const order = await newOrder('CONFIRMED');
    const at = new Date();
    const waiting = deliveryEvent('delivery.waiting', { orderId: order.id, at });
    await handleEvent(h, waiting);
    await handleEvent(h, waiting);
    // A later retry still finding nobody changes nothing more.
    await handleEvent(h, deliveryEvent('delivery.waiting', { orderId: order.id }));
    for (const person of ['customer', 'staff'] as const) {
      expect(ok(await readOrder(order.id, person)).order).toMatchObject({
        version: 2,
        deliveryWaiting: true,
        deliveryWaitingSince: at.toISOString(),
      });
    }
    await handleEvent(h, assigned(order.id));
    expect(ok(await readOrder(order.id, 'customer')).order).toMatchObject({
      version: 3,
      deliveryWaiting: false,
      deliveryWaitingSince: null,
    });
    // Waiting is only about accepted orders without a rider.
    await handleEvent(h, deliveryEvent('delivery.waiting', { orderId: order.id }));
    expect((await row(order.id)).version).toBe(3);
    const cancelled = await newOrder('CANCELLED');
    await handleEvent(h, deliveryEvent('delivery.waiting', { orderId: cancelled.id }));
    expect((await row(cancelled.id)).version).toBe(1);
  });
});

describe('delivery.picked_up / delivery.delivered', () => {
  it('moves the order on as the rider, once each, through the lifecycle', async () => {
    const order = await newOrder('CONFIRMED');
    await handleEvent(h, assigned(order.id));
    const pickedUp = riderEvent('delivery.picked_up', order.id);
    await handleEvent(h, pickedUp);
    await handleEvent(h, pickedUp);
    expect(await row(order.id)).toMatchObject({
      status: 'DELIVERY_IN_PROGRESS',
      version: 3,
      pickedUpAt: new Date(pickedUp.payload.at as string),
    });
    const delivered = riderEvent('delivery.delivered', order.id);
    await handleEvent(h, delivered);
    await handleEvent(h, delivered);
    expect(await row(order.id)).toMatchObject({
      status: 'COMPLETED',
      version: 4,
      completedAt: new Date(delivered.payload.at as string),
    });
    // The assigned rider still reads the delivered order, with its history.
    const view = ok(await readOrder(order.id, 'rider')).order!;
    expect(view.statusHistory).toEqual([
      { from: null, to: 'CONFIRMED', actor: 'CUSTOMER', actorUserId: null },
      { from: 'CONFIRMED', to: 'DELIVERY_IN_PROGRESS', actor: 'RIDER', actorUserId: rider.userId },
      { from: 'DELIVERY_IN_PROGRESS', to: 'COMPLETED', actor: 'RIDER', actorUserId: rider.userId },
    ]);
    const statusEvents = (await eventsOf(h.subgraph, order.id)).filter(
      (e) => e.type === 'order.status_changed',
    );
    expect(statusEvents.map((e) => [e.payload.to, e.payload.actor, e.payload.version])).toEqual([
      ['DELIVERY_IN_PROGRESS', 'RIDER', 3],
      ['COMPLETED', 'RIDER', 4],
    ]);
  });

  it('records the pickup first when the delivery overtakes it', async () => {
    const order = await newOrder('CONFIRMED');
    const pickedUp = riderEvent('delivery.picked_up', order.id);
    await handleEvent(h, riderEvent('delivery.delivered', order.id));
    await handleEvent(h, pickedUp);
    expect(await row(order.id)).toMatchObject({ status: 'COMPLETED', version: 3 });
    const history = await h.subgraph.prisma.orderStatusChange.findMany({
      where: { orderId: order.id },
      orderBy: { version: 'asc' },
    });
    expect(history.map((c) => [c.toStatus, c.actor])).toEqual([
      ['CONFIRMED', 'CUSTOMER'],
      ['DELIVERY_IN_PROGRESS', 'RIDER'],
      ['COMPLETED', 'RIDER'],
    ]);
  });

  it('leaves orders alone that are not where the event expects them', async () => {
    for (const [status, type] of [
      ['CANCELLED', 'delivery.picked_up'],
      ['TO_BE_CONFIRMED', 'delivery.picked_up'],
      ['CANCELLED', 'delivery.delivered'],
      ['COMPLETED', 'delivery.delivered'],
    ] as const) {
      const order = await newOrder(status);
      const before = await orderSnapshot(h.subgraph, order.id);
      expect(await handleEvent(h, riderEvent(type, order.id)), `${type} on ${status}`).toBe(0);
      expect(await orderSnapshot(h.subgraph, order.id)).toEqual(before);
    }
  });

  it('parks malformed payloads as dead letters and keeps handling the next event', async () => {
    const order = await newOrder('CONFIRMED');
    const before = await orderSnapshot(h.subgraph, order.id);
    const malformed = [
      { orderId: 'not-a-uuid', riderId: rider.riderId, riderUserId: rider.userId },
      { orderId: order.id, riderId: 'x', riderUserId: rider.userId },
      { orderId: order.id },
    ].map((payload) => deliveryEvent('delivery.assigned', payload));
    const ids = malformed.map((event) => event.id);
    // Through the running consumer, as the delivery subgraph's relay would publish them.
    for (const event of malformed) await transport.append('events', JSON.stringify(event));
    const parked = await waitFor(async () => {
      const letters = await h.subgraph.prisma.deadLetterEvent.findMany({
        where: { eventId: { in: ids } },
      });
      return letters.length === 3 && letters;
    }, 'the dead letters');
    expect(parked.every((letter) => letter.consumer === 'order')).toBe(true);
    expect(parked.map((letter) => letter.problems).join(' ')).toMatch(/orderId/);
    expect(parked.map((letter) => letter.problems).join(' ')).toMatch(/riderId/);
    // Recorded as processed: a redelivery is dropped, never retried in a loop.
    expect(await h.subgraph.prisma.processedEvent.count({ where: { eventId: { in: ids } } })).toBe(
      3,
    );
    expect(await orderSnapshot(h.subgraph, order.id)).toEqual(before);
    // The consumer goes on with the next event.
    await transport.append('events', JSON.stringify(assigned(order.id)));
    await waitFor(async () => (await row(order.id)).riderId === rider.riderId, 'the next event');
  });
});

describe('order.confirmed tells delivery where to pick up', () => {
  it('carries the pickup location stored at placement next to the address', async () => {
    const order = await newOrder('TO_BE_CONFIRMED');
    await h.subgraph.prisma.order.update({
      where: { id: order.id },
      data: { pickupLatitude: 31.2304, pickupLongitude: 121.4737 },
    });
    ok(
      await h.run(
        `mutation($id: ID!) { acceptOrder(id: $id) { id } }`,
        { id: order.id },
        tokens.staff,
      ),
    );
    const confirmed = (await eventsOf(h.subgraph, order.id)).find(
      (e) => e.type === 'order.confirmed',
    );
    expect(confirmed!.payload).toMatchObject({
      orderId: order.id,
      merchantId,
      address: { latitude: 31.23, longitude: 121.47 },
      pickup: { latitude: 31.2304, longitude: 121.4737 },
    });
    expect(ok(await readOrder(order.id, 'customer')).order!.pickupLocation).toEqual({
      latitude: 31.2304,
      longitude: 121.4737,
    });
  });
});

describe('live messages, after commit only', () => {
  it('event handlers publish only once their transaction has committed', async () => {
    const order = await newOrder('CONFIRMED');
    const live = await observer.listen<OrderChangedMessage>(orderChannel(order.id));
    await handleEvent(h, assigned(order.id), async (callbacks) => {
      // Committed, callbacks not run yet: nothing announced.
      expect(callbacks).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(live.received).toHaveLength(0);
    });
    await waitFor(async () => live.received.length === 1, 'the assignment message');
    await handleEvent(h, riderEvent('delivery.picked_up', order.id));
    await handleEvent(h, unassigned(order.id));
    await waitFor(async () => live.received.length === 3, 'three messages');
    expect(live.messages()).toEqual([
      { orderId: order.id, version: 2 },
      { orderId: order.id, version: 3 },
      { orderId: order.id, version: 4 },
    ]);
    for (const { message, orderAtArrival } of live.received) {
      expect(orderAtArrival!.version).toBeGreaterThanOrEqual(message.version);
    }
    await live.stop();
  });

  it('mutations, payment events and the payment timer announce to the order and the merchant', async () => {
    const shop = randomUUID();
    const staffToken = h.token({
      userId: randomUUID(),
      roles: ['MERCHANT_STAFF'],
      merchantId: shop,
    });
    const merchantLive = await observer.listen<MerchantOrderMessage>(merchantChannel(shop));
    const orderFor = (status: OrderStatus) =>
      insertOrder(h.subgraph, { customerId: people.customer.userId, merchantId: shop, status });

    // Paid (payment.succeeded): the order moves, and the merchant hears of a new order.
    const paid = await orderFor('PENDING_PAYMENT');
    const paidLive = await observer.listen<OrderChangedMessage>(orderChannel(paid.id));
    await handleEvent(h, paymentSucceeded(paid.id));
    // Reminded by the customer (催单), then rejected by the merchant.
    ok(
      await h.run(
        `mutation($id: ID!) { remindOrder(id: $id) { remindedAt } }`,
        { id: paid.id },
        tokens.customer,
      ),
    );
    ok(
      await h.run(
        `mutation($id: ID!) { rejectOrder(id: $id, reason: "closing early") { id } }`,
        { id: paid.id },
        staffToken,
      ),
    );
    // An unpaid order timing out: announced on its channel, not to the merchant (never saw it).
    const unpaid = await orderFor('PENDING_PAYMENT');
    const unpaidLive = await observer.listen<OrderChangedMessage>(orderChannel(unpaid.id));
    await h.subgraph.prisma.$transaction((tx) =>
      scheduleJob(tx, {
        kind: 'order.payment_timeout',
        key: `payment-timeout:${unpaid.id}`,
        dueAt: new Date(),
        payload: { orderId: unpaid.id },
      }),
    );
    await waitFor(async () => unpaidLive.received.length === 1, 'the timeout message');
    expect(unpaidLive.received[0]!.orderAtArrival).toMatchObject({
      status: 'CANCELLED',
      version: 2,
    });

    await waitFor(async () => paidLive.received.length === 3, 'three order messages');
    expect(paidLive.messages()).toEqual([
      { orderId: paid.id, version: 2 },
      { orderId: paid.id, version: 3 },
      { orderId: paid.id, version: 4 },
    ]);
    // Each change was committed before it was announced.
    for (const { message, orderAtArrival } of paidLive.received) {
      expect(orderAtArrival!.version).toBeGreaterThanOrEqual(message.version);
    }
    await waitFor(async () => merchantLive.received.length === 3, 'three merchant messages');
    expect(merchantLive.messages().map(({ kind, orderId }) => [kind, orderId])).toEqual([
      ['NEW_ORDER', paid.id],
      ['REMINDER', paid.id],
      ['CANCELLED', paid.id],
    ]);
    expect(merchantLive.received[0]!.orderAtArrival).toMatchObject({ payStatus: 'PAID' });
    expect(merchantLive.received[2]!.orderAtArrival).toMatchObject({ status: 'CANCELLED' });
    // Nothing more, in particular nothing about the timed-out order.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(merchantLive.received).toHaveLength(3);
    for (const live of [merchantLive, paidLive, unpaidLive]) await live.stop();
  });
});
