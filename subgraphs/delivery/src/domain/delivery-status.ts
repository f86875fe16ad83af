import type { DeliveryStatus } from '../stores/index.ts';
import { distanceMeters, type LatLng } from '@sky/geo';

/** A rider is carrying out the delivery (it holds `activeRiderId`, the rider is BUSY). */
export const ACTIVE_DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  'ASSIGNED',
  'ARRIVED_AT_MERCHANT',
  'PICKED_UP',
];

/** Nothing happens to the delivery any more. */
export const FINAL_DELIVERY_STATUSES: readonly DeliveryStatus[] = ['DELIVERED', 'CANCELLED'];

export const isActiveDeliveryStatus = (status: DeliveryStatus): boolean =>
  ACTIVE_DELIVERY_STATUSES.includes(status);

export const isFinalDeliveryStatus = (status: DeliveryStatus): boolean =>
  FINAL_DELIVERY_STATUSES.includes(status);

/** The rider speed the ETA assumes when none is configured (about 14 km/h door to door). */
export const DEFAULT_RIDER_SPEED_METERS_PER_SECOND = 4;

/**
 * The distance (meters, great-circle) the rider still has to ride before the hand-over: to the
 * merchant and on to the customer until the food is picked up, straight to the customer after.
 * Null when no rider carries the delivery out (before assignment and once final). Without a
 * reported position the rider is assumed to be at the merchant.
 */
export function remainingRouteMeters(input: {
  status: DeliveryStatus;
  rider: LatLng | null;
  pickup: LatLng;
  dropoff: LatLng;
}): number | null {
  const { status, pickup, dropoff } = input;
  const rider = input.rider ?? pickup;
  switch (status) {
    case 'ASSIGNED':
      return distanceMeters(rider, pickup) + distanceMeters(pickup, dropoff);
    case 'ARRIVED_AT_MERCHANT':
      return distanceMeters(pickup, dropoff);
    case 'PICKED_UP':
      return distanceMeters(rider, dropoff);
    default:
      return null;
  }
}

/**
 * Seconds until hand-over: the remaining route at the configured rider speed, in whole seconds;
 * null when the delivery has no rider carrying it out, as the contract says.
 */
export function estimateEtaSeconds(
  input: Parameters<typeof remainingRouteMeters>[0],
  metersPerSecond: number = DEFAULT_RIDER_SPEED_METERS_PER_SECOND,
): number | null {
  const meters = remainingRouteMeters(input);
  return meters === null ? null : Math.ceil(meters / metersPerSecond);
}

/**
 * The ETA as served: the stored estimate while a rider carries the delivery out, null otherwise,
 * so a stale estimate left on a finished delivery never reaches a client.
 */
export function servedEta(delivery: {
  status: DeliveryStatus;
  etaSeconds: number | null;
  estimatedArrivalAt: Date | null;
}): { etaSeconds: number | null; estimatedArrivalAt: Date | null } {
  if (!isActiveDeliveryStatus(delivery.status) || delivery.etaSeconds === null) {
    return { etaSeconds: null, estimatedArrivalAt: null };
  }
  return { etaSeconds: delivery.etaSeconds, estimatedArrivalAt: delivery.estimatedArrivalAt };
}
