import { describe, expect, it } from 'vitest';
import type { DeliveryStatus } from '../stores/index.ts';
import {
  DEFAULT_RIDER_SPEED_METERS_PER_SECOND,
  estimateEtaSeconds,
  isActiveDeliveryStatus,
  isFinalDeliveryStatus,
  servedEta,
} from './delivery-status.ts';
import { distanceMeters } from '@sky/geo';

const pickup = { latitude: 31.2355, longitude: 121.4768 };
const dropoff = { latitude: 31.2304, longitude: 121.4737 };
const rider = { latitude: 31.233, longitude: 121.47 };
const travel = (meters: number) => meters / DEFAULT_RIDER_SPEED_METERS_PER_SECOND;

describe('delivery status groups', () => {
  it('treats assigned, at-merchant and picked-up as active, and nothing else', () => {
    const all: DeliveryStatus[] = [
      'WAITING_FOR_RIDER',
      'OFFERED',
      'ASSIGNED',
      'ARRIVED_AT_MERCHANT',
      'PICKED_UP',
      'DELIVERED',
      'CANCELLED',
    ];
    expect(all.filter(isActiveDeliveryStatus)).toEqual([
      'ASSIGNED',
      'ARRIVED_AT_MERCHANT',
      'PICKED_UP',
    ]);
    expect(all.filter(isFinalDeliveryStatus)).toEqual(['DELIVERED', 'CANCELLED']);
  });
});

describe('estimateEtaSeconds', () => {
  it('is null before assignment and once final', () => {
    for (const status of ['WAITING_FOR_RIDER', 'OFFERED', 'DELIVERED', 'CANCELLED'] as const) {
      expect(estimateEtaSeconds({ status, rider, pickup, dropoff })).toBeNull();
    }
  });

  it('counts the ride to the merchant and on to the customer when assigned', () => {
    const expected = travel(distanceMeters(rider, pickup) + distanceMeters(pickup, dropoff));
    expect(estimateEtaSeconds({ status: 'ASSIGNED', rider, pickup, dropoff })).toBe(
      Math.ceil(expected),
    );
  });

  it('drops the ride to the merchant once the rider is there', () => {
    const assigned = estimateEtaSeconds({ status: 'ASSIGNED', rider, pickup, dropoff })!;
    const arrived = estimateEtaSeconds({ status: 'ARRIVED_AT_MERCHANT', rider, pickup, dropoff })!;
    expect(arrived).toBeLessThan(assigned);
    expect(arrived).toBe(Math.ceil(travel(distanceMeters(pickup, dropoff))));
  });

  it('counts only the rest of the ride after pickup', () => {
    const halfway = { latitude: 31.233, longitude: 121.4752 };
    expect(estimateEtaSeconds({ status: 'PICKED_UP', rider: halfway, pickup, dropoff })).toBe(
      Math.ceil(travel(distanceMeters(halfway, dropoff))),
    );
  });

  it('uses the configured speed', () => {
    const at4 = estimateEtaSeconds({ status: 'PICKED_UP', rider, pickup, dropoff }, 4)!;
    const at8 = estimateEtaSeconds({ status: 'PICKED_UP', rider, pickup, dropoff }, 8)!;
    expect(at8).toBe(Math.ceil(distanceMeters(rider, dropoff) / 8));
    expect(at8).toBeLessThan(at4);
  });

  it('assumes the rider is at the merchant when no position was reported', () => {
    expect(estimateEtaSeconds({ status: 'ASSIGNED', rider: null, pickup, dropoff })).toBe(
      estimateEtaSeconds({ status: 'ARRIVED_AT_MERCHANT', rider: null, pickup, dropoff }),
    );
  });

  it('is a whole number of seconds, zero at the door', () => {
    const eta = estimateEtaSeconds({ status: 'PICKED_UP', rider: dropoff, pickup, dropoff })!;
    expect(Number.isInteger(eta)).toBe(true);
    expect(eta).toBe(0);
  });
});

describe('servedEta', () => {
  const at = new Date('2026-11-25T08:30:00.000Z');
  it('serves the stored estimate while active', () => {
    expect(servedEta({ status: 'PICKED_UP', etaSeconds: 300, estimatedArrivalAt: at })).toEqual({
      etaSeconds: 300,
      estimatedArrivalAt: at,
    });
  });

  it('hides a stale estimate on a final or unassigned delivery', () => {
    for (const status of ['DELIVERED', 'CANCELLED', 'WAITING_FOR_RIDER', 'OFFERED'] as const) {
      expect(servedEta({ status, etaSeconds: 300, estimatedArrivalAt: at })).toEqual({
        etaSeconds: null,
        estimatedArrivalAt: null,
      });
    }
  });

  it('keeps both null together', () => {
    expect(servedEta({ status: 'ASSIGNED', etaSeconds: null, estimatedArrivalAt: at })).toEqual({
      etaSeconds: null,
      estimatedArrivalAt: null,
    });
  });
});
