import type { FormattedExecutionResult } from 'graphql';
import type { Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distanceMeters } from '@sky/geo';
import {
  ACCEPT,
  ARRIVED,
  confirmOrder,
  DELIVERED,
  deliveryOf,
  eventually,
  newArea,
  offset,
  PICKED_UP,
  riderOnline,
  startDeliverySubgraph,
  UPDATE_LOCATION,
  wsClient,
  type DeliveryHarness,
  cancelOrder,
} from './harness.ts';

let harness: DeliveryHarness;
let redis: Redis;
const clients: Client[] = [];

beforeAll(async () => {
  harness = await startDeliverySubgraph();
  redis = new Redis(harness.env.REDIS_URL!);
});
afterAll(async () => {
  for (const client of clients) await client.dispose();
  redis?.disconnect();
  await harness?.stop();
});

const COURIER = `subscription Courier($orderId: ID!) {
  courierLocation(orderId: $orderId) {
    id status version etaSeconds estimatedArrivalAt
    riderLocation { latitude longitude }
    rider { id }
  }
}`;

interface CourierEvent {
  id: string;
  status: string;
  version: number;
  etaSeconds: number | null;
  riderLocation: { latitude: number; longitude: number } | null;
  rider: { id: string } | null;
}

/** Subscribes and records every message; `until(n)` waits for n of them. */
function subscribe(token: string | null, orderId: string) {
  const client = wsClient(harness, token);
  clients.push(client);
  const results: FormattedExecutionResult<{ courierLocation: CourierEvent }, unknown>[] = [];
  let completed = false;
  let failure: unknown = null;
  const unsubscribe = client.subscribe<{ courierLocation: CourierEvent }>(
    { query: COURIER, variables: { orderId } },
    {
      next: (result) => results.push(result),
      error: (error) => (failure = error),
      complete: () => (completed = true),
    },
  );
  return {
    results,
    events: () => results.map((r) => r.data?.courierLocation).filter((e) => e !== undefined),
    isCompleted: () => completed,
    failure: () => failure,
    until: (count: number) => eventually(async () => results.length >= count || undefined),
    unsubscribe,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const channelOf = (orderId: string) => `${harness.env.EVENT_NAMESPACE}:live:courier:${orderId}`;
const listeners = async (orderId: string) =>
  ((await redis.pubsub('NUMSUB', channelOf(orderId))) as [string, number])[1];

/** A delivery assigned to a rider, in its own patch of the map. */
async function assigned() {
  const merchant = newArea();
  const dropoff = offset(merchant, -2000);
  const rider = await riderOnline(harness, offset(merchant, 500));
  const order = await confirmOrder(harness, { pickup: merchant, dropoff });
  const delivery = await deliveryOf(harness, order.orderId);
  await harness.run(ACCEPT, { id: delivery.id }, rider.token);
  const customer = harness.token({ userId: order.customerId, roles: ['CUSTOMER'] });
  return { merchant, dropoff, rider, order, delivery, customer };
}

describe('courierLocation', () => {
  it('gives the customer the current state, then each location update with a fresh ETA', async () => {
    const { merchant, dropoff, rider, order, customer } = await assigned();
    const current = await deliveryOf(harness, order.orderId);
    const subscription = subscribe(customer, order.orderId);
    await subscription.until(1);
    expect(subscription.results[0]).toEqual({
      data: {
        courierLocation: {
          id: current.id,
          status: 'ASSIGNED',
          version: current.version,
          etaSeconds: current.etaSeconds,
          estimatedArrivalAt: current.estimatedArrivalAt!.toISOString(),
          riderLocation: offset(merchant, 500),
          rider: { id: rider.id },
        },
      },
      // Each event is the whole current state, marked for the gateway (§13.3).
      extensions: { stateEvent: true },
    });
    await eventually(async () => (await listeners(order.orderId)) === 1);

    const positions = [offset(merchant, 300), offset(merchant, 100)];
    for (const location of positions) {
      expect(
        (await harness.run(UPDATE_LOCATION, { location }, rider.token)).errors,
      ).toBeUndefined();
    }
    await subscription.until(3);
    expect(subscription.events().slice(1)).toEqual(
      positions.map((location, i) => ({
        id: current.id,
        status: 'ASSIGNED',
        version: current.version + 1 + i,
        etaSeconds: Math.ceil(
          (distanceMeters(location, merchant) + distanceMeters(merchant, dropoff)) / 4,
        ),
        estimatedArrivalAt: expect.any(String),
        riderLocation: location,
        rider: { id: rider.id },
      })),
    );
    subscription.unsubscribe();
  });

  it('drops stale and repeated messages, so versions strictly increase', async () => {
    const { rider, order, customer } = await assigned();
    const subscription = subscribe(customer, order.orderId);
    await subscription.until(1);
    await eventually(async () => (await listeners(order.orderId)) === 1);
    const first = subscription.events()[0]!.version;
    // A late message for an old version and a duplicate of the current one: nothing to send.
    await harness.subgraph.live.publish(`courier:${order.orderId}`, {
      orderId: order.orderId,
      version: first - 1,
    });
    await harness.subgraph.live.publish(`courier:${order.orderId}`, {
      orderId: order.orderId,
      version: first,
    });
    // A message announcing a newer version than stored (it was read already): nothing new either.
    await harness.subgraph.live.publish(`courier:${order.orderId}`, {
      orderId: order.orderId,
      version: first + 5,
    });
    await harness.run(UPDATE_LOCATION, { location: newArea() }, rider.token);
    await harness.run(UPDATE_LOCATION, { location: newArea() }, rider.token);
    await subscription.until(3);
    await sleep(200);
    const versions = subscription.events().map((e) => e.version);
    expect(versions).toEqual([first, first + 1, first + 2]);
    subscription.unsubscribe();
  });

  it('follows the delivery to the door and completes after the final state', async () => {
    const { rider, order, customer, delivery } = await assigned();
    const subscription = subscribe(customer, order.orderId);
    await subscription.until(1);
    await eventually(async () => (await listeners(order.orderId)) === 1);
    for (const step of [ARRIVED, PICKED_UP, DELIVERED]) {
      const seen = subscription.results.length;
      await harness.run(step, { id: delivery.id }, rider.token);
      // One step at a time, so each state is seen (messages announce, the database answers).
      await subscription.until(seen + 1);
    }
    await eventually(async () => subscription.isCompleted() || undefined);
    expect(subscription.events().map((e) => [e.status, e.etaSeconds === null])).toEqual([
      ['ASSIGNED', false],
      ['ARRIVED_AT_MERCHANT', false],
      ['PICKED_UP', false],
      ['DELIVERED', true],
    ]);
    // The live subscription is gone with the stream.
    await eventually(async () => (await listeners(order.orderId)) === 0);
  });

  it('announces a cancellation made by an event handler once it has committed', async () => {
    const { order, customer } = await assigned();
    const subscription = subscribe(customer, order.orderId);
    await subscription.until(1);
    await eventually(async () => (await listeners(order.orderId)) === 1);
    await cancelOrder(harness, order.orderId, 'rain');
    await subscription.until(2);
    expect(subscription.events()[1]).toMatchObject({
      status: 'CANCELLED',
      rider: { id: expect.any(String) },
    });
    await eventually(async () => subscription.isCompleted() || undefined);
  });

  it('consumes order events from the event stream and announces what they changed', async () => {
    const merchant = newArea();
    const rider = await riderOnline(harness, offset(merchant, 100));
    const order = { orderId: randomUUID(), customerId: randomUUID(), merchantId: randomUUID() };
    // As the order subgraph's outbox relay publishes them.
    const publish = (type: string, payload: Record<string, unknown>) =>
      redis.xadd(
        `${harness.env.EVENT_NAMESPACE}:events`,
        '*',
        'body',
        JSON.stringify({
          id: randomUUID(),
          type,
          producer: 'order',
          aggregateType: 'Order',
          aggregateId: order.orderId,
          payload,
          createdAt: new Date().toISOString(),
        }),
      );
    await publish('order.confirmed', {
      ...order,
      address: offset(merchant, 700),
      pickup: merchant,
      at: new Date().toISOString(),
    });
    const delivery = await eventually(() =>
      harness.subgraph.prisma.delivery
        .findUnique({ where: { orderId: order.orderId } })
        .then((row) => row ?? undefined),
    );
    expect(delivery.status).toBe('OFFERED');
    await harness.run(ACCEPT, { id: delivery.id }, rider.token);

    const customer = harness.token({ userId: order.customerId, roles: ['CUSTOMER'] });
    const subscription = subscribe(customer, order.orderId);
    await subscription.until(1);
    await eventually(async () => (await listeners(order.orderId)) === 1);
    await publish('order.cancelled', {
      ...order,
      previousStatus: 'CONFIRMED',
      wasPaid: true,
      actor: 'MERCHANT',
      reason: 'closed early',
      at: new Date().toISOString(),
    });
    await subscription.until(2);
    expect(subscription.events().map((e) => e.status)).toEqual(['ASSIGNED', 'CANCELLED']);
    // Both events were acknowledged to their producer.
    await eventually(async () => {
      const acks = await redis.xrange(`${harness.env.EVENT_NAMESPACE}:acks:order`, '-', '+');
      return acks.length >= 2 || undefined;
    });
  });

  it('refuses strangers and riders with NOT_FOUND, as if there were no delivery, and sends nothing', async () => {
    const { rider, order } = await assigned();
    for (const token of [
      harness.token({ userId: randomUUID(), roles: ['CUSTOMER'] }),
      rider.token,
    ]) {
      const subscription = subscribe(token, order.orderId);
      await eventually(async () => subscription.isCompleted() || undefined);
      expect(subscription.results).toEqual([
        {
          errors: [
            expect.objectContaining({ extensions: expect.objectContaining({ code: 'NOT_FOUND' }) }),
          ],
        },
      ]);
    }
    expect(await listeners(order.orderId)).toBe(0);
    // The same answer as for an order without a delivery: nothing tells the two apart.
    const stranger = subscribe(
      harness.token({ userId: randomUUID(), roles: ['CUSTOMER'] }),
      order.orderId,
    );
    const none = subscribe(
      harness.token({ userId: randomUUID(), roles: ['CUSTOMER'] }),
      randomUUID(),
    );
    await eventually(async () => (stranger.isCompleted() && none.isCompleted()) || undefined);
    expect(stranger.results).toEqual(none.results);
    // Admins may watch.
    const admin = subscribe(
      harness.token({ userId: randomUUID(), roles: ['ADMIN'] }),
      order.orderId,
    );
    await admin.until(1);
    expect(admin.events()[0]?.status).toBe('ASSIGNED');
    admin.unsubscribe();
  });

  it('answers UNAUTHENTICATED without a token and NOT_FOUND for an order without a delivery', async () => {
    const { order } = await assigned();
    const anonymous = subscribe(null, order.orderId);
    await eventually(async () => anonymous.isCompleted() || undefined);
    expect(anonymous.results[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const unknown = subscribe(
      harness.token({ userId: randomUUID(), roles: ['CUSTOMER'] }),
      randomUUID(),
    );
    await eventually(async () => unknown.isCompleted() || undefined);
    expect(unknown.results[0]?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('ends the live subscription as soon as the client unsubscribes', async () => {
    const { order, customer } = await assigned();
    const subscription = subscribe(customer, order.orderId);
    await subscription.until(1);
    await eventually(async () => (await listeners(order.orderId)) === 1);
    subscription.unsubscribe();
    await eventually(async () => (await listeners(order.orderId)) === 0, 2_000);
  });
});
