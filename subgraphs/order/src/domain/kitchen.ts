import { MAX_PREP_MINUTES } from '@sky/contracts';
import { badUserInput } from '@sky/errors';
import { distanceMeters } from '@sky/geo';
import type { Order } from '../stores/index.ts';
import type { KitchenTiming } from './order-events.ts';

/** How the order works out ready and delivery times (`config.kitchen`). */
export interface KitchenSettings {
  /** Prep time for an order that carries no merchant default (placed before it was recorded). */
  defaultPrepMinutes: number;
  /** Average rider speed the customer's ETA assumes for the ride from the merchant. */
  riderSpeedMetersPerSecond: number;
}

/** `acceptOrder`'s `prepMinutes`: absent means the merchant's default; else 1..180 whole minutes. */
export function parsePrepMinutes(value: number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 1 || value > MAX_PREP_MINUTES) {
    throw badUserInput(
      `"prepMinutes" must be a whole number of 1..${MAX_PREP_MINUTES}.`,
      'prepMinutes',
    );
  }
  return value;
}

type TimedOrder = Pick<
  Order,
  | 'defaultPrepMinutes'
  | 'scheduledDeliveryAt'
  | 'pickupLatitude'
  | 'pickupLongitude'
  | 'addressLatitude'
  | 'addressLongitude'
>;

/**
 * The customer's ETA once the food is (expected to be) ready at `readyAt`: the ride from the
 * merchant to the address at the assumed speed, and never before a delivery time the customer
 * scheduled. Orders without a recorded pickup point count the ride as zero.
 */
export function deliveryEstimate(
  order: TimedOrder,
  readyAt: Date,
  settings: KitchenSettings,
): Date {
  const rideMeters =
    order.pickupLatitude === null || order.pickupLongitude === null
      ? 0
      : distanceMeters(
          { latitude: order.pickupLatitude, longitude: order.pickupLongitude },
          { latitude: order.addressLatitude, longitude: order.addressLongitude },
        );
  const arrival =
    readyAt.getTime() + Math.round((rideMeters / settings.riderSpeedMetersPerSecond) * 1000);
  const scheduled = order.scheduledDeliveryAt?.getTime() ?? 0;
  return new Date(Math.max(arrival, scheduled));
}

/** ACCEPT: the prep time (given, else the merchant's default, else the platform's) and the times it implies. */
export function acceptanceTiming(
  order: TimedOrder,
  givenPrepMinutes: number | null,
  at: Date,
  settings: KitchenSettings,
): KitchenTiming {
  const prepMinutes = givenPrepMinutes ?? order.defaultPrepMinutes ?? settings.defaultPrepMinutes;
  const estimatedReadyAt = new Date(at.getTime() + prepMinutes * 60_000);
  return {
    prepMinutes,
    estimatedReadyAt,
    estimatedDeliveryAt: deliveryEstimate(order, estimatedReadyAt, settings),
  };
}

/** FOOD_READY at `at`: the ETA now counts from the actual ready time. */
export function foodReadyTiming(
  order: TimedOrder,
  at: Date,
  settings: KitchenSettings,
): KitchenTiming {
  return { estimatedDeliveryAt: deliveryEstimate(order, at, settings) };
}
