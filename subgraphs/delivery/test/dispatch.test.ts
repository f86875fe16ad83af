import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distanceMeters } from '@sky/geo';
import {
  ACCEPT,
  ARRIVED,
  codes,
  confirmOrder,
  DECLINE,
  DELIVERED,
  deliveryOf,
  eventsOf,
  eventually,
  GO_OFFLINE,
  GO_ONLINE,
  MY_OFFER,
  newArea,
  offset,
  pendingOfferOf,
  PICKED_UP,
  riderOnline,
  riderRow,
  startDeliverySubgraph,
  type DeliveryHarness,
  type TestRider,
  cancelOrder,
} from './harness.ts';

let harness: DeliveryHarness;
let admin: string;

beforeAll(async () => {
  harness = await startDeliverySubgraph();
  admin = harness.token({ userId: randomUUID(), roles: ['ADMIN'] });
});
afterAll(async () => {
  await harness?.stop();
});

const OFFER_OF = `query Offer($id: ID!) {
  delivery(id: $id) { id status version currentOffer { rider { id } expiresAt } }
}`;

async function offeredRiderId(deliveryId: string): Promise<string | null> {
  const response = await harness.run<{
    delivery: { currentOffer: { rider: { id: string } } | null };
  }>(OFFER_OF, { id: deliveryId }, admin);
  return response.data?.delivery.currentOffer?.rider.id ?? null;
}

/** An order confirmed in `area` with its delivery offered to a rider, and that rider. */
async function assignedDelivery(area = newArea()) {
  const rider = await riderOnline(harness, offset(area, 300));
  const order = await confirmOrder(harness, { pickup: area, dropoff: offset(area, -1500) });
  const delivery = await deliveryOf(harness, order.orderId);
  const accepted = await harness.run(ACCEPT, { id: delivery.id }, rider.token);
  expect(accepted.errors).toBeUndefined();
  return { rider, order, delivery: await deliveryOf(harness, order.orderId) };
}

describe('dispatch', () => {
  it('offers the delivery to the nearest available rider within range', async () => {
    const merchant = newArea();
    const far = await riderOnline(harness, offset(merchant, 900));
    const nearest = await riderOnline(harness, offset(merchant, 200, 100));
    const middle = await riderOnline(harness, offset(merchant, -500));
    // Nearer than all of them, but offline or out of range.
    const offline = await riderOnline(harness, offset(merchant, 50));
    expect((await harness.run(GO_OFFLINE, {}, offline.token)).errors).toBeUndefined();
    await riderOnline(harness, offset(merchant, 5_100));

    const order = await confirmOrder(harness, {
      pickup: merchant,
      dropoff: offset(merchant, -2000),
    });
    const delivery = await deliveryOf(harness, order.orderId);
    expect(delivery.status).toBe('OFFERED');
    expect(delivery.distanceMeters).toBe(
      Math.round(distanceMeters(merchant, offset(merchant, -2000))),
    );
    expect(await offeredRiderId(delivery.id)).toBe(nearest.id);

    // The offered rider sees the offer; the others do not.
    const mine = await harness.run<{
      myDeliveryOffer: { rider: { id: string }; delivery: { id: string; status: string } };
    }>(MY_OFFER, {}, nearest.token);
    expect(mine.data?.myDeliveryOffer).toMatchObject({
      rider: { id: nearest.id },
      delivery: { id: delivery.id, status: 'OFFERED' },
    });
    for (const other of [far, middle]) {
      expect((await harness.run(MY_OFFER, {}, other.token)).data?.myDeliveryOffer).toBeNull();
    }
  });

  it('breaks a tie in distance by the rider idle the longest', async () => {
    const merchant = newArea();
    const spot = offset(merchant, 400);
    const first = await riderOnline(harness, spot);
    const second = await riderOnline(harness, spot);
    // `first` goes off and on again: `second` has now been idle longer (and has the larger id).
    await harness.run(GO_OFFLINE, {}, first.token);
    await harness.run(GO_ONLINE, { location: spot }, first.token);
    const [a, b] = await Promise.all([riderRow(harness, first.id), riderRow(harness, second.id)]);
    expect(b.idleSince!.getTime()).toBeLessThan(a.idleSince!.getTime());

    const order = await confirmOrder(harness, { pickup: merchant, dropoff: offset(merchant, 800) });
    expect(await offeredRiderId((await deliveryOf(harness, order.orderId)).id)).toBe(second.id);
  });

  it('moves on to the next nearest rider on a decline and never asks the decliner again', async () => {
    const merchant = newArea();
    const nearest = await riderOnline(harness, offset(merchant, 100));
    const next = await riderOnline(harness, offset(merchant, 300));
    const order = await confirmOrder(harness, { pickup: merchant, dropoff: offset(merchant, 900) });
    const delivery = await deliveryOf(harness, order.orderId);
    expect(await offeredRiderId(delivery.id)).toBe(nearest.id);

    const declined = await harness.run(DECLINE, { id: delivery.id }, nearest.token);
    expect(declined.data).toEqual({
      declineDeliveryOffer: {
        deliveryId: delivery.id,
        rider: { id: nearest.id, status: 'AVAILABLE' },
      },
    });
    expect(await offeredRiderId(delivery.id)).toBe(next.id);
    // A repeated decline changes nothing; accepting after declining is refused.
    expect((await harness.run(DECLINE, { id: delivery.id }, nearest.token)).errors).toBeUndefined();
    expect(codes(await harness.run(ACCEPT, { id: delivery.id }, nearest.token))).toEqual([
      'INVALID_STATE_TRANSITION',
    ]);

    // The second rider declines too: nobody else is in range, so the delivery waits.
    await harness.run(DECLINE, { id: delivery.id }, next.token);
    const waiting = await deliveryOf(harness, order.orderId);
    expect(waiting.status).toBe('WAITING_FOR_RIDER');
    expect(await pendingOfferOf(harness, delivery.id)).toBeNull();
    expect((await eventsOf(harness, delivery.id)).map((e) => e.type)).toEqual(['delivery.waiting']);
  });

  it('assigns the delivery when the offered rider accepts', async () => {
    const merchant = newArea();
    const rider = await riderOnline(harness, offset(merchant, 300));
    const order = await confirmOrder(harness, {
      pickup: merchant,
      dropoff: offset(merchant, -1200),
    });
    const delivery = await deliveryOf(harness, order.orderId);
    const accepted = await harness.run<{
      acceptDeliveryOffer: {
        status: string;
        version: number;
        rider: { id: string; status: string };
        etaSeconds: number;
      };
    }>(ACCEPT, { id: delivery.id }, rider.token);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data?.acceptDeliveryOffer).toMatchObject({
      status: 'ASSIGNED',
      version: delivery.version + 1,
      rider: { id: rider.id, status: 'BUSY' },
      // About 300 m to the merchant, then 1200 m on to the customer, at 4 m/s.
      etaSeconds: Math.ceil(
        (distanceMeters(offset(merchant, 300), merchant) +
          distanceMeters(merchant, offset(merchant, -1200))) /
          4,
      ),
    });
    const row = await deliveryOf(harness, order.orderId);
    expect(row.activeRiderId).toBe(rider.id);
    expect(await pendingOfferOf(harness, delivery.id)).toBeNull();
    expect(await eventsOf(harness, delivery.id)).toEqual([
      {
        type: 'delivery.assigned',
        payload: {
          deliveryId: delivery.id,
          orderId: order.orderId,
          riderId: rider.id,
          riderUserId: rider.userId,
          at: expect.any(String),
        },
      },
    ]);
    // A repeat answers the assigned delivery; the rider's offer slot is free again.
    expect((await harness.run(ACCEPT, { id: delivery.id }, rider.token)).errors).toBeUndefined();
    expect((await harness.run(MY_OFFER, {}, rider.token)).data?.myDeliveryOffer).toBeNull();
    // A busy rider is not offered anything else.
    const other = await confirmOrder(harness, { pickup: merchant, dropoff: offset(merchant, 700) });
    expect((await deliveryOf(harness, other.orderId)).status).toBe('WAITING_FOR_RIDER');
  });

  it('refuses offers to riders they were not made to', async () => {
    const merchant = newArea();
    const offered = await riderOnline(harness, offset(merchant, 100));
    const stranger = await riderOnline(harness, offset(merchant, 9_000));
    const order = await confirmOrder(harness, { pickup: merchant, dropoff: offset(merchant, 600) });
    const delivery = await deliveryOf(harness, order.orderId);
    expect(codes(await harness.run(ACCEPT, { id: delivery.id }, stranger.token))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await harness.run(DECLINE, { id: delivery.id }, stranger.token))).toEqual([
      'FORBIDDEN',
    ]);
    const customer = harness.token({ userId: order.customerId, roles: ['CUSTOMER'] });
    expect(codes(await harness.run(ACCEPT, { id: delivery.id }, customer))).toEqual(['FORBIDDEN']);
    expect(codes(await harness.run(ACCEPT, { id: randomUUID() }, offered.token))).toEqual([
      'NOT_FOUND',
    ]);
    expect(codes(await harness.run(ACCEPT, { id: 'nope' }, offered.token))).toEqual(['NOT_FOUND']);
    expect(codes(await harness.run(ACCEPT, { id: delivery.id }))).toEqual(['UNAUTHENTICATED']);
  });

  it('declines an open offer when the rider goes offline', async () => {
    const merchant = newArea();
    const leaving = await riderOnline(harness, offset(merchant, 100));
    const staying = await riderOnline(harness, offset(merchant, 200));
    const order = await confirmOrder(harness, { pickup: merchant, dropoff: offset(merchant, 600) });
    const delivery = await deliveryOf(harness, order.orderId);
    expect(await offeredRiderId(delivery.id)).toBe(leaving.id);
    const offline = await harness.run(GO_OFFLINE, {}, leaving.token);
    expect(offline.data).toEqual({
      goOffline: { id: leaving.id, status: 'OFFLINE', idleSince: null },
    });
    expect(await offeredRiderId(delivery.id)).toBe(staying.id);
  });
});

describe('rider flow', () => {
  it('lets only the assigned rider act, one step after the other', async () => {
    const { rider, delivery, order } = await assignedDelivery();
    const other: TestRider = await riderOnline(harness, offset(newArea(), 0));
    const customer = harness.token({ userId: order.customerId, roles: ['CUSTOMER'] });
    for (const step of [ARRIVED, PICKED_UP, DELIVERED]) {
      expect(codes(await harness.run(step, { id: delivery.id }, other.token))).toEqual([
        'FORBIDDEN',
      ]);
      expect(codes(await harness.run(step, { id: delivery.id }, customer))).toEqual(['FORBIDDEN']);
      expect(codes(await harness.run(step, { id: delivery.id }, admin))).toEqual(['FORBIDDEN']);
    }
    expect(codes(await harness.run(ARRIVED, { id: randomUUID() }, rider.token))).toEqual([
      'NOT_FOUND',
    ]);

    // Out of order: picking up before arriving, delivering before picking up.
    expect(codes(await harness.run(PICKED_UP, { id: delivery.id }, rider.token))).toEqual([
      'INVALID_STATE_TRANSITION',
    ]);
    expect(codes(await harness.run(DELIVERED, { id: delivery.id }, rider.token))).toEqual([
      'INVALID_STATE_TRANSITION',
    ]);

    const arrived = await harness.run<{ arrivedAtMerchant: { status: string; version: number } }>(
      ARRIVED,
      { id: delivery.id },
      rider.token,
    );
    expect(arrived.data?.arrivedAtMerchant).toMatchObject({
      status: 'ARRIVED_AT_MERCHANT',
      version: delivery.version + 1,
    });
    // A repeat is answered unchanged.
    expect(
      (await harness.run(ARRIVED, { id: delivery.id }, rider.token)).data?.arrivedAtMerchant,
    ).toEqual(arrived.data?.arrivedAtMerchant);
    expect(codes(await harness.run(DELIVERED, { id: delivery.id }, rider.token))).toEqual([
      'INVALID_STATE_TRANSITION',
    ]);
    const picked = await harness.run<{ pickedUp: { status: string; etaSeconds: number } }>(
      PICKED_UP,
      { id: delivery.id },
      rider.token,
    );
    // About 1500 m from the merchant to the customer at 4 m/s.
    expect(picked.data?.pickedUp).toMatchObject({
      status: 'PICKED_UP',
      etaSeconds: Math.ceil(
        distanceMeters(
          { latitude: delivery.pickupLatitude, longitude: delivery.pickupLongitude },
          { latitude: delivery.dropoffLatitude, longitude: delivery.dropoffLongitude },
        ) / 4,
      ),
    });
    expect(codes(await harness.run(ARRIVED, { id: delivery.id }, rider.token))).toEqual([
      'INVALID_STATE_TRANSITION',
    ]);

    const before = Date.now();
    const done = await harness.run<{
      delivered: {
        status: string;
        etaSeconds: number | null;
        rider: { status: string; idleSince: string };
      };
    }>(DELIVERED, { id: delivery.id }, rider.token);
    expect(done.data?.delivered).toMatchObject({
      status: 'DELIVERED',
      etaSeconds: null,
      rider: { status: 'AVAILABLE' },
    });
    expect(new Date(done.data!.delivered.rider.idleSince).getTime()).toBeGreaterThanOrEqual(
      before - 1000,
    );
    expect((await deliveryOf(harness, order.orderId)).activeRiderId).toBeNull();
    expect(
      (await eventsOf(harness, delivery.id)).map((e) => [e.type, e.payload.riderUserId]),
    ).toEqual([
      ['delivery.assigned', rider.userId],
      ['delivery.picked_up', rider.userId],
      ['delivery.delivered', rider.userId],
    ]);
    // The rider is free for the next order.
    const next = await confirmOrder(harness, {
      pickup: { latitude: delivery.pickupLatitude, longitude: delivery.pickupLongitude },
      dropoff: offset(
        { latitude: delivery.pickupLatitude, longitude: delivery.pickupLongitude },
        500,
      ),
    });
    expect(await offeredRiderId((await deliveryOf(harness, next.orderId)).id)).toBe(rider.id);
  });

  it('keeps a busy rider online until the delivery is done', async () => {
    const { rider } = await assignedDelivery();
    expect(codes(await harness.run(GO_OFFLINE, {}, rider.token))).toEqual([
      'INVALID_STATE_TRANSITION',
    ]);
    const again = await harness.run<{ goOnline: { status: string } }>(
      GO_ONLINE,
      { location: newArea() },
      rider.token,
    );
    expect(again.data?.goOnline.status).toBe('BUSY');
  });

  it('validates rider input', async () => {
    const token = harness.token({ userId: randomUUID(), roles: ['RIDER'] });
    const bad = await harness.run(GO_ONLINE, { location: { latitude: 91, longitude: 0 } }, token);
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'location',
    });
    const long = await harness.run(
      GO_ONLINE,
      { location: newArea(), vehicle: 'x'.repeat(65) },
      token,
    );
    expect(long.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'vehicle',
    });
    expect(codes(await harness.run(GO_OFFLINE, {}, token))).toEqual(['NOT_FOUND']);
    const customer = harness.token({ userId: randomUUID(), roles: ['CUSTOMER'] });
    expect(codes(await harness.run(GO_ONLINE, { location: newArea() }, customer))).toEqual([
      'FORBIDDEN',
    ]);
  });
});

describe('order.cancelled', () => {
  it('calls off an assigned delivery and frees its rider', async () => {
    const { rider, delivery, order } = await assignedDelivery();
    await cancelOrder(harness, order.orderId, 'merchant ran out of noodles');
    const cancelled = await deliveryOf(harness, order.orderId);
    expect(cancelled).toMatchObject({
      status: 'CANCELLED',
      activeRiderId: null,
      cancelReason: 'merchant ran out of noodles',
      version: delivery.version + 1,
    });
    expect((await riderRow(harness, rider.id)).status).toBe('AVAILABLE');
    const events = await eventsOf(harness, delivery.id);
    expect(events.at(-1)).toEqual({
      type: 'delivery.unassigned',
      payload: {
        deliveryId: delivery.id,
        orderId: order.orderId,
        riderId: rider.id,
        riderUserId: rider.userId,
        reason: 'merchant ran out of noodles',
        at: expect.any(String),
      },
    });
    expect(codes(await harness.run(ARRIVED, { id: delivery.id }, rider.token))).toEqual([
      'INVALID_STATE_TRANSITION',
    ]);
  });

  it('withdraws an open offer and drops its timer', async () => {
    const merchant = newArea();
    const rider = await riderOnline(harness, offset(merchant, 100));
    const order = await confirmOrder(harness, { pickup: merchant, dropoff: offset(merchant, 600) });
    const delivery = await deliveryOf(harness, order.orderId);
    const offer = await pendingOfferOf(harness, delivery.id);
    expect(offer).not.toBeNull();
    await cancelOrder(harness, order.orderId, null);
    expect((await deliveryOf(harness, order.orderId)).status).toBe('CANCELLED');
    expect(
      await harness.subgraph.prisma.deliveryOffer.findUniqueOrThrow({ where: { id: offer!.id } }),
    ).toMatchObject({ response: 'WITHDRAWN', pendingRiderId: null, pendingDeliveryId: null });
    expect(
      await harness.subgraph.prisma.scheduledJob.count({ where: { key: { contains: offer!.id } } }),
    ).toBe(0);
    expect(codes(await harness.run(ACCEPT, { id: delivery.id }, rider.token))).toEqual([
      'INVALID_STATE_TRANSITION',
    ]);
    // No unassigned event: nobody was assigned.
    expect((await eventsOf(harness, delivery.id)).map((e) => e.type)).toEqual([]);
  });

  it('leaves a picked-up delivery alone, and creates none for an order already cancelled', async () => {
    const { rider, delivery, order } = await assignedDelivery();
    await harness.run(ARRIVED, { id: delivery.id }, rider.token);
    await harness.run(PICKED_UP, { id: delivery.id }, rider.token);
    await cancelOrder(harness, order.orderId, 'admin');
    expect((await deliveryOf(harness, order.orderId)).status).toBe('PICKED_UP');

    const orderId = randomUUID();
    await cancelOrder(harness, orderId, 'changed my mind');
    const merchant = newArea();
    await riderOnline(harness, merchant);
    await harness.deliverEvent('order.confirmed', {
      orderId,
      customerId: randomUUID(),
      merchantId: randomUUID(),
      address: offset(merchant, 500),
      pickup: merchant,
      at: new Date().toISOString(),
    });
    expect(await harness.subgraph.prisma.delivery.count({ where: { orderId } })).toBe(0);
  });

  it('creates one delivery per order however often order.confirmed arrives', async () => {
    const merchant = newArea();
    const order = await confirmOrder(harness, { pickup: merchant, dropoff: offset(merchant, 500) });
    await harness.deliverEvent('order.confirmed', {
      ...order,
      address: offset(merchant, 500),
      pickup: merchant,
      at: new Date().toISOString(),
    });
    expect(
      await harness.subgraph.prisma.delivery.count({ where: { orderId: order.orderId } }),
    ).toBe(1);
  });
});

describe('waiting deliveries', () => {
  it('are offered at once to a rider who comes online near them, not at the next retry', async () => {
    const merchant = newArea();
    const order = await confirmOrder(harness, { pickup: merchant, dropoff: offset(merchant, 900) });
    const delivery = await deliveryOf(harness, order.orderId);
    expect(delivery.status).toBe('WAITING_FOR_RIDER');
    const started = Date.now();
    const rider = await riderOnline(harness, offset(merchant, 1_000));
    // The retry timer is 15 s away here; the rider going online moves it to now.
    await eventually(
      async () => (await pendingOfferOf(harness, delivery.id))?.riderId === rider.id,
      5_000,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
