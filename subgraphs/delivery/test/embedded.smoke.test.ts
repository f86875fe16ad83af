import type { FormattedExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCEPT,
  codes,
  confirmOrder,
  deliveryOf,
  eventually,
  newArea,
  offset,
  riderOnline,
  startDeliverySubgraph,
  UPDATE_LOCATION,
  wsClient,
  type DeliveryHarness,
} from './harness.ts';

/**
 * The same dispatch, rate limit and live tracking on the embedded stack (PGlite, in-process
 * pub/sub and jobs): the raw SQL of this subgraph must run on PostgreSQL 18 as PGlite too.
 */
let harness: DeliveryHarness;

beforeAll(async () => {
  harness = await startDeliverySubgraph({
    embedded: true,
    env: { LOCATION_MIN_INTERVAL_MS: '1000', OFFER_TIMEOUT_SECONDS: '1' },
  });
});
afterAll(async () => {
  await harness?.stop();
});

describe('embedded mode', () => {
  it('dispatches, lapses offers, rate-limits and streams the courier', async () => {
    const merchant = newArea();
    const slow = await riderOnline(harness, offset(merchant, 100));
    const rider = await riderOnline(harness, offset(merchant, 700));
    const order = await confirmOrder(harness, {
      pickup: merchant,
      dropoff: offset(merchant, -900),
    });
    const delivery = await deliveryOf(harness, order.orderId);
    expect(delivery.status).toBe('OFFERED');
    // The nearest rider lets the offer lapse; the job runner offers it to the next one.
    await eventually(async () => {
      const offer = await harness.subgraph.prisma.deliveryOffer.findUnique({
        where: { pendingDeliveryId: delivery.id },
      });
      return offer?.riderId === rider.id;
    });
    expect(codes(await harness.run(ACCEPT, { id: delivery.id }, slow.token))).toEqual([
      'INVALID_STATE_TRANSITION',
    ]);
    expect((await harness.run(ACCEPT, { id: delivery.id }, rider.token)).errors).toBeUndefined();

    const customer = harness.token({ userId: order.customerId, roles: ['CUSTOMER'] });
    const client = wsClient(harness, customer);
    const versions: number[] = [];
    const unsubscribe = client.subscribe<{ courierLocation: { version: number } }>(
      {
        query: `subscription($orderId: ID!) { courierLocation(orderId: $orderId) { version } }`,
        variables: { orderId: order.orderId },
      },
      {
        next: (
          result: FormattedExecutionResult<{ courierLocation: { version: number } }, unknown>,
        ) => versions.push(result.data!.courierLocation.version),
        error: () => {},
        complete: () => {},
      },
    );
    await eventually(async () => versions.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(
      (await harness.run(UPDATE_LOCATION, { location: offset(merchant, 300) }, rider.token)).errors,
    ).toBeUndefined();
    expect(
      codes(await harness.run(UPDATE_LOCATION, { location: offset(merchant, 200) }, rider.token)),
    ).toEqual(['RATE_LIMITED']);
    await eventually(async () => versions.length === 2);
    expect(versions[1]).toBe(versions[0]! + 1);
    unsubscribe();
    await client.dispose();
  });
});
