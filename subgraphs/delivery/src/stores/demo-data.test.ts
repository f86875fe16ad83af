import { describe, expect, it } from 'vitest';
import { addresses, demoHistory, merchants, orders, riders } from '@sky/demo-data';
import { isActiveDeliveryStatus } from '../domain/delivery-status.ts';
import { distanceMeters } from '@sky/geo';
import { buildDeliveryDemoData } from './demo-data.ts';

const now = new Date();
const data = buildDeliveryDemoData(now);
const history = demoHistory(now);
const allOrders = [...history.orders, ...orders];
const allAddresses = [...history.addresses, ...addresses];
const liveDeliveryIds = new Set(orders.map((o) => o.delivery?.id));
const liveDeliveries = data.deliveries.filter((d) => liveDeliveryIds.has(d.id));
const time = (value: Date | string | null | undefined) =>
  value == null ? null : new Date(value).getTime();

describe('delivery demo data', () => {
  it('has one delivery per demo order with a delivery, history included, with the dataset ids and status', () => {
    const expected = allOrders.filter((o) => o.delivery);
    expect(data.deliveries.map((d) => [d.id, d.orderId, d.status, d.riderId])).toEqual(
      expected.map((o) => [o.delivery!.id, o.id, o.delivery!.status, o.riderId]),
    );
  });

  it('picks up at the merchant and drops off at the order address, measured by haversine', () => {
    for (const delivery of data.deliveries) {
      const order = allOrders.find((o) => o.id === delivery.orderId)!;
      const merchant = merchants.find((m) => m.id === order.merchantId)!;
      const address = allAddresses.find((a) => a.id === order.addressId)!;
      expect([delivery.pickupLatitude, delivery.pickupLongitude]).toEqual([
        merchant.latitude,
        merchant.longitude,
      ]);
      expect([delivery.dropoffLatitude, delivery.dropoffLongitude]).toEqual([
        address.latitude,
        address.longitude,
      ]);
      expect(delivery.distanceMeters).toBe(Math.round(distanceMeters(merchant, address)));
      expect(delivery.customerId).toBe(order.customerId);
      expect(delivery.merchantId).toBe(order.merchantId);
    }
  });

  it('sets activeRiderId and an ETA only on active deliveries', () => {
    for (const delivery of data.deliveries) {
      const active = isActiveDeliveryStatus(delivery.status!);
      expect(delivery.activeRiderId ?? null).toBe(active ? delivery.riderId : null);
      expect(delivery.etaSeconds != null).toBe(active);
      expect(delivery.estimatedArrivalAt != null).toBe(active);
    }
  });

  it('keeps timestamps in the order of the life cycle, matching the version', () => {
    for (const delivery of data.deliveries) {
      const steps = [
        delivery.createdAt,
        delivery.assignedAt,
        delivery.arrivedAtMerchantAt,
        delivery.pickedUpAt,
        delivery.deliveredAt,
      ]
        .map(time)
        .filter((t): t is number => t !== null);
      expect([...steps].sort((a, b) => a - b)).toEqual(steps);
      expect(time(delivery.updatedAt)).toBe(Math.max(...steps));
      expect(time(delivery.updatedAt)).toBeLessThanOrEqual(now.getTime());
      const order = allOrders.find((o) => o.id === delivery.orderId)!;
      expect(time(delivery.createdAt)).toBeGreaterThan(order.placedAt.getTime());
      if (order.deliveredAfterMinutes) {
        // The history's deliveries take their own time, as the order subgraph's history says.
        expect(time(delivery.deliveredAt)! - order.placedAt.getTime()).toBe(
          order.deliveredAfterMinutes * 60_000,
        );
      }
      const expectedVersion = { ASSIGNED: 3, ARRIVED_AT_MERCHANT: 4, PICKED_UP: 5, DELIVERED: 6 };
      expect(delivery.version).toBe(
        expectedVersion[delivery.status as keyof typeof expectedVersion],
      );
      if (delivery.status === 'DELIVERED') expect(delivery.deliveredAt).not.toBeNull();
      if (delivery.status === 'ASSIGNED') expect(delivery.pickedUpAt).toBeNull();
    }
  });

  it('makes the rider of an active delivery BUSY and every other rider AVAILABLE since now', () => {
    const busy = new Set(data.deliveries.map((d) => d.activeRiderId).filter(Boolean));
    expect(data.riders.map((r) => r.id)).toEqual(riders.map((r) => r.id));
    expect(busy.size).toBeGreaterThan(0);
    for (const rider of data.riders) {
      const source = riders.find((r) => r.id === rider.id)!;
      expect([rider.latitude, rider.longitude]).toEqual([source.latitude, source.longitude]);
      if (busy.has(rider.id)) {
        expect(rider.status).toBe('BUSY');
        expect(rider.idleSince).toBeNull();
      } else {
        expect(rider.status).toBe('AVAILABLE');
        expect(rider.idleSince).toEqual(now);
      }
    }
  });

  it('records the accepted offer of every assigned live delivery, with no pending ids', () => {
    for (const delivery of liveDeliveries.filter((d) => d.riderId)) {
      const offers = data.offers.filter((o) => o.deliveryId === delivery.id);
      expect(offers).toHaveLength(1);
      expect(offers[0]).toMatchObject({ riderId: delivery.riderId, response: 'ACCEPTED' });
      expect(offers[0]!.pendingDeliveryId ?? null).toBeNull();
      expect(time(offers[0]!.respondedAt)).toBe(time(delivery.assignedAt));
      expect(time(offers[0]!.respondedAt)).toBeLessThanOrEqual(time(offers[0]!.expiresAt)!);
    }
  });

  it('keeps only delivery rows for the history (no offers or routes)', () => {
    const withExtras = new Set([
      ...data.offers.map((o) => o.deliveryId),
      ...data.locationPoints.map((p) => p.deliveryId),
    ]);
    expect([...withExtras].every((id) => liveDeliveryIds.has(id))).toBe(true);
    expect(data.deliveries.length - liveDeliveries.length).toBe(
      history.orders.filter((o) => o.delivery).length,
    );
  });

  it('tracks the live delivered one from assignment to hand-over, oldest first', () => {
    const delivered = liveDeliveries.find((d) => d.status === 'DELIVERED')!;
    const points = data.locationPoints.filter((p) => p.deliveryId === delivered.id);
    expect(points.length).toBeGreaterThanOrEqual(3);
    expect(data.locationPoints.every((p) => p.deliveryId === delivered.id)).toBe(true);
    const times = points.map((p) => time(p.recordedAt)!);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times[0]).toBe(time(delivered.assignedAt));
    expect(times.at(-1)).toBe(time(delivered.deliveredAt));
    expect([points.at(-1)!.latitude, points.at(-1)!.longitude]).toEqual([
      delivered.dropoffLatitude,
      delivered.dropoffLongitude,
    ]);
  });
});
