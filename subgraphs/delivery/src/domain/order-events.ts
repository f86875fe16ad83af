import { isUuid } from '@sky/database';
import { isValidPoint, type LatLng } from '@sky/geo';

/**
 * The order events this subgraph consumes, read defensively: an event that does not have the
 * documented shape is reported (null) rather than thrown, since throwing would only make the
 * consumer retry a payload that will never change.
 */

export interface OrderConfirmed {
  orderId: string;
  customerId: string;
  merchantId: string;
  /** The order's delivery address. */
  dropoff: LatLng;
  /** The merchant's location, when the producer sends it (see docs/contracts.md). */
  pickup: LatLng | null;
  at: Date;
}

export interface OrderCancelled {
  orderId: string;
  reason: string;
  at: Date;
}

type Payload = Record<string, unknown>;

const uuidOf = (payload: Payload, key: string): string | null => {
  const value = payload[key];
  return typeof value === 'string' && isUuid(value) ? value : null;
};

const pointOf = (value: unknown): LatLng | null => {
  if (typeof value !== 'object' || value === null) return null;
  const { latitude, longitude } = value as Payload;
  if (typeof latitude !== 'number' || typeof longitude !== 'number') return null;
  const point = { latitude, longitude };
  return isValidPoint(point) ? point : null;
};

const dateOf = (value: unknown, fallback: Date): Date => {
  const date = typeof value === 'string' ? new Date(value) : fallback;
  return Number.isNaN(date.getTime()) ? fallback : date;
};

export function readOrderConfirmed(payload: Payload, now: Date): OrderConfirmed | null {
  const orderId = uuidOf(payload, 'orderId');
  const customerId = uuidOf(payload, 'customerId');
  const merchantId = uuidOf(payload, 'merchantId');
  const dropoff = pointOf(payload.address);
  if (!orderId || !customerId || !merchantId || !dropoff) return null;
  return {
    orderId,
    customerId,
    merchantId,
    dropoff,
    pickup: pointOf(payload.pickup),
    at: dateOf(payload.at, now),
  };
}

export function readOrderCancelled(payload: Payload, now: Date): OrderCancelled | null {
  const orderId = uuidOf(payload, 'orderId');
  if (!orderId) return null;
  const reason =
    typeof payload.reason === 'string' && payload.reason.trim() !== ''
      ? payload.reason.slice(0, 500)
      : 'order cancelled';
  return { orderId, reason, at: dateOf(payload.at, now) };
}
