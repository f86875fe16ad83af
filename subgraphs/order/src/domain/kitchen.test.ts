import { describe, expect, it } from 'vitest';
import { acceptanceTiming, foodReadyTiming, parsePrepMinutes } from './kitchen.ts';

const settings = { defaultPrepMinutes: 15, riderSpeedMetersPerSecond: 4 };
// Pickup and address 1 km apart along a meridian (0.008993° of latitude ≈ 1000 m): a 250 s ride.
const order = {
  defaultPrepMinutes: 20,
  scheduledDeliveryAt: null,
  pickupLatitude: 31,
  pickupLongitude: 121,
  addressLatitude: 31.008993,
  addressLongitude: 121,
};
const at = new Date('2026-12-07T12:00:00.000Z');
const seconds = (a: Date | null | undefined, b: Date) => (a!.getTime() - b.getTime()) / 1000;

describe('kitchen timing', () => {
  it('takes the given prep time, else the merchant default, else the platform default', () => {
    expect(acceptanceTiming(order, 30, at, settings).prepMinutes).toBe(30);
    expect(acceptanceTiming(order, null, at, settings).prepMinutes).toBe(20);
    expect(
      acceptanceTiming({ ...order, defaultPrepMinutes: null }, null, at, settings).prepMinutes,
    ).toBe(15);
  });

  it('puts the ETA at ready time plus the ride, and never before a scheduled time', () => {
    const timing = acceptanceTiming(order, 30, at, settings);
    expect(seconds(timing.estimatedReadyAt, at)).toBe(30 * 60);
    expect(seconds(timing.estimatedDeliveryAt, timing.estimatedReadyAt!)).toBeCloseTo(250, 0);
    const scheduled = new Date('2026-12-07T14:00:00.000Z');
    expect(
      acceptanceTiming({ ...order, scheduledDeliveryAt: scheduled }, 30, at, settings)
        .estimatedDeliveryAt,
    ).toEqual(scheduled);
  });

  it('counts the ETA from the actual ready time once the food is ready', () => {
    expect(seconds(foodReadyTiming(order, at, settings).estimatedDeliveryAt, at)).toBeCloseTo(
      250,
      0,
    );
  });

  it('accepts whole minutes 1..180 only', () => {
    expect(parsePrepMinutes(undefined)).toBeNull();
    expect(parsePrepMinutes(180)).toBe(180);
    for (const bad of [0, 181, 1.5, -3]) {
      expect(() => parsePrepMinutes(bad)).toThrow(
        expect.objectContaining({ extensions: expect.objectContaining({ field: 'prepMinutes' }) }),
      );
    }
  });
});
