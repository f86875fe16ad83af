import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCEPT,
  codes,
  confirmOrder,
  deliveryOf,
  eventsOf,
  eventually,
  newArea,
  offset,
  pendingOfferOf,
  riderOnline,
  startDeliverySubgraph,
  UPDATE_LOCATION,
  type DeliveryHarness,
} from './harness.ts';

/** Offers lapse after 1 s and dispatch retries every second; the subgraph's own job runner acts. */
let harness: DeliveryHarness;

beforeAll(async () => {
  harness = await startDeliverySubgraph({
    env: { OFFER_TIMEOUT_SECONDS: '1', DISPATCH_RETRY_SECONDS: '1' },
  });
});
afterAll(async () => {
  await harness?.stop();
});

describe('durable dispatch timers', () => {
  it('counts an unanswered offer as a decline and offers the delivery to the next rider', async () => {
    const merchant = newArea();
    const slow = await riderOnline(harness, offset(merchant, 100));
    const next = await riderOnline(harness, offset(merchant, 400));
    const order = await confirmOrder(harness, { pickup: merchant, dropoff: offset(merchant, 900) });
    const delivery = await deliveryOf(harness, order.orderId);
    const first = await pendingOfferOf(harness, delivery.id);
    expect(first?.riderId).toBe(slow.id);
    expect(first!.expiresAt.getTime() - first!.offeredAt.getTime()).toBe(1000);

    const second = await eventually(async () => {
      const offer = await pendingOfferOf(harness, delivery.id);
      return offer?.riderId === next.id ? offer : undefined;
    });
    expect(
      await harness.subgraph.prisma.deliveryOffer.findUniqueOrThrow({ where: { id: first!.id } }),
    ).toMatchObject({ response: 'EXPIRED' });
    expect(codes(await harness.run(ACCEPT, { id: delivery.id }, slow.token))).toEqual([
      'INVALID_STATE_TRANSITION',
    ]);

    // The second offer lapses too; nobody is left, so the delivery waits (and says so once).
    await eventually(async () => {
      const row = await harness.subgraph.prisma.deliveryOffer.findUnique({
        where: { id: second.id },
      });
      return row?.response === 'EXPIRED';
    });
    expect((await deliveryOf(harness, order.orderId)).status).toBe('WAITING_FOR_RIDER');
    expect((await eventsOf(harness, delivery.id)).map((e) => e.type)).toEqual(['delivery.waiting']);
  });

  it('keeps a delivery waiting while no rider is in range and offers it once one is', async () => {
    const merchant = newArea();
    const order = await confirmOrder(harness, { pickup: merchant, dropoff: offset(merchant, 900) });
    const delivery = await deliveryOf(harness, order.orderId);
    expect(delivery.status).toBe('WAITING_FOR_RIDER');
    expect(
      await harness.subgraph.prisma.scheduledJob.findUnique({
        where: { key: `delivery-dispatch-retry:${delivery.id}` },
      }),
    ).toMatchObject({ kind: 'delivery.dispatch_retry' });

    // A rider comes online out of range, then rides into range: only the retry timer notices.
    const rider = await riderOnline(harness, offset(merchant, 8_000));
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await deliveryOf(harness, order.orderId)).status).toBe('WAITING_FOR_RIDER');
    expect(
      (await harness.run(UPDATE_LOCATION, { location: offset(merchant, 2_000) }, rider.token))
        .errors,
    ).toBeUndefined();

    await eventually(
      async () => (await pendingOfferOf(harness, delivery.id))?.riderId === rider.id,
    );
    const accepted = await harness.run<{ acceptDeliveryOffer: { status: string } }>(
      ACCEPT,
      { id: delivery.id },
      rider.token,
    );
    expect(accepted.data?.acceptDeliveryOffer.status).toBe('ASSIGNED');
    // Several retries ran, but the waiting state was announced once.
    expect((await eventsOf(harness, delivery.id)).map((e) => e.type)).toEqual([
      'delivery.waiting',
      'delivery.assigned',
    ]);
    expect(
      await harness.subgraph.prisma.scheduledJob.count({
        where: { key: `delivery-dispatch-retry:${delivery.id}` },
      }),
    ).toBe(0);
  });
});
