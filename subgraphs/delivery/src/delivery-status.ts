import type { DeliveryStatus } from './__generated__/prisma/enums.ts';
import { haversineMeters, type LatLng } from './geo.ts';

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

/**
 * Travel model of the ETA. Straight-line distance underestimates a city route, so it is
 * stretched by a detour factor; riders average about 16 km/h door to door; waiting for the food
 * and handing it over take roughly fixed times.
 */
export const ETA_MODEL = {
  detourFactor: 1.3,
  metersPerSecond: 4.5,
  pickupAllowanceSeconds: 180,
  handoverAllowanceSeconds: 120,
} as const;

/**
 * Seconds until hand-over, estimated from where the rider is now; null when the delivery has no
 * rider carrying it out (before assignment and once final), as the contract says. Without a
 * reported position the rider is assumed to be at the pickup point.
 */
export function estimateEtaSeconds(input: {
  status: DeliveryStatus;
  rider: LatLng | null;
  pickup: LatLng;
  dropoff: LatLng;
}): number | null {
  const { status, pickup, dropoff } = input;
  const rider = input.rider ?? pickup;
  const travel = (meters: number) => (meters * ETA_MODEL.detourFactor) / ETA_MODEL.metersPerSecond;
  let seconds: number;
  switch (status) {
    case 'ASSIGNED':
      seconds =
        travel(haversineMeters(rider, pickup) + haversineMeters(pickup, dropoff)) +
        ETA_MODEL.pickupAllowanceSeconds;
      break;
    case 'ARRIVED_AT_MERCHANT':
      seconds = travel(haversineMeters(pickup, dropoff)) + ETA_MODEL.pickupAllowanceSeconds;
      break;
    case 'PICKED_UP':
      seconds = travel(haversineMeters(rider, dropoff));
      break;
    default:
      return null;
  }
  return Math.ceil(seconds + ETA_MODEL.handoverAllowanceSeconds);
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
