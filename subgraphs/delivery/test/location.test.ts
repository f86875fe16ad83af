import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distanceMeters } from '@sky/geo';
import {
  ACCEPT,
  ARRIVED,
  codes,
  confirmOrder,
  deliveryOf,
  GO_OFFLINE,
  newArea,
  offset,
  PICKED_UP,
  riderOnline,
  startDeliverySubgraph,
  UPDATE_LOCATION,
  type DeliveryHarness,
} from './harness.ts';

/** The default rate limit (one update per second per rider), two instances on one database. */
let harness: DeliveryHarness;
let second: DeliveryHarness;

beforeAll(async () => {
  harness = await startDeliverySubgraph({ env: { LOCATION_MIN_INTERVAL_MS: '1000' } });
  // A second instance of the subgraph on the same database (as when the service is scaled out).
  second = await startDeliverySubgraph({
    keys: harness.keys,
    database: harness.db,
    env: { LOCATION_MIN_INTERVAL_MS: '1000', EVENT_NAMESPACE: harness.env.EVENT_NAMESPACE! },
  });
});
afterAll(async () => {
  await second?.stop();
  await harness?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const TRACKED = `query Tracked($id: ID!) {
  delivery(id: $id) {
    status version etaSeconds estimatedArrivalAt riderLocation { latitude longitude } riderLocationAt
    track(first: 10) { edges { node { location { latitude longitude } recordedAt } } }
  }
}`;

describe('location updates', () => {
  it('are rate-limited per rider in the database, across instances', async () => {
    const area = newArea();
    const rider = await riderOnline(harness, area);
    // goOnline reported a position just now.
    const tooSoon = await harness.run(UPDATE_LOCATION, { location: offset(area, 10) }, rider.token);
    expect(tooSoon.errors?.[0]?.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 1,
    });
    await sleep(1_100);
    // Two updates at the same moment through two instances: exactly one is accepted.
    const results = await Promise.all([
      harness.run(UPDATE_LOCATION, { location: offset(area, 20) }, rider.token),
      second.run(UPDATE_LOCATION, { location: offset(area, 30) }, rider.token),
    ]);
    expect(results.map((r) => codes(r)).sort()).toEqual([[], ['RATE_LIMITED']]);
    // Another rider is not affected.
    const other = await riderOnline(harness, area);
    await sleep(1_100);
    expect(
      (await harness.run(UPDATE_LOCATION, { location: area }, other.token)).errors,
    ).toBeUndefined();
  });

  it('are refused for offline riders and out-of-range positions', async () => {
    const area = newArea();
    const rider = await riderOnline(harness, area);
    await harness.run(GO_OFFLINE, {}, rider.token);
    await sleep(1_100);
    expect(codes(await harness.run(UPDATE_LOCATION, { location: area }, rider.token))).toEqual([
      'INVALID_STATE_TRANSITION',
    ]);
    const bad = await harness.run(
      UPDATE_LOCATION,
      { location: { latitude: 0, longitude: 200 } },
      rider.token,
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'location',
    });
    const future = await harness.run(
      UPDATE_LOCATION,
      { location: area, recordedAt: new Date(Date.now() + 3_600_000).toISOString() },
      rider.token,
    );
    expect(future.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'recordedAt',
    });
    const stranger = harness.token({ userId: randomUUID(), roles: ['RIDER'] });
    expect(codes(await harness.run(UPDATE_LOCATION, { location: area }, stranger))).toEqual([
      'NOT_FOUND',
    ]);
  });

  it('refresh the ETA, keep the track and raise the version of the delivery being carried', async () => {
    const merchant = newArea();
    const dropoff = offset(merchant, -2000);
    const start = offset(merchant, 600);
    const rider = await riderOnline(harness, start);
    const order = await confirmOrder(harness, { pickup: merchant, dropoff });
    const delivery = await deliveryOf(harness, order.orderId);
    await harness.run(ACCEPT, { id: delivery.id }, rider.token);
    const admin = harness.token({ userId: randomUUID(), roles: ['ADMIN'] });
    type Tracked = {
      delivery: {
        status: string;
        version: number;
        etaSeconds: number;
        riderLocation: { latitude: number; longitude: number } | null;
        track: { edges: { node: { location: { latitude: number } } }[] };
      };
    };
    const assigned = (await harness.run<Tracked>(TRACKED, { id: delivery.id }, admin)).data!
      .delivery;
    expect(assigned.riderLocation).toEqual(start);
    expect(assigned.etaSeconds).toBe(
      Math.ceil((distanceMeters(start, merchant) + distanceMeters(merchant, dropoff)) / 4),
    );

    // On the way to the merchant: the ETA counts the rest of the way there and on.
    await sleep(1_100);
    const nearer = offset(merchant, 200);
    expect(
      (await harness.run(UPDATE_LOCATION, { location: nearer }, rider.token)).errors,
    ).toBeUndefined();
    const moved = (await harness.run<Tracked>(TRACKED, { id: delivery.id }, admin)).data!.delivery;
    expect(moved.version).toBe(assigned.version + 1);
    expect(moved.riderLocation).toEqual(nearer);
    expect(moved.etaSeconds).toBe(
      Math.ceil((distanceMeters(nearer, merchant) + distanceMeters(merchant, dropoff)) / 4),
    );
    expect(moved.etaSeconds).toBeLessThan(assigned.etaSeconds);

    // After pickup: only the rest of the way to the customer.
    await harness.run(ARRIVED, { id: delivery.id }, rider.token);
    await harness.run(PICKED_UP, { id: delivery.id }, rider.token);
    await sleep(1_100);
    const halfway = offset(merchant, -1000);
    await second.run(UPDATE_LOCATION, { location: halfway }, rider.token);
    const carried = (await harness.run<Tracked>(TRACKED, { id: delivery.id }, admin)).data!
      .delivery;
    expect(carried.status).toBe('PICKED_UP');
    expect(carried.etaSeconds).toBe(Math.ceil(distanceMeters(halfway, dropoff) / 4));
    expect(carried.track.edges.map((e) => e.node.location)).toEqual([nearer, halfway]);
  });
});
