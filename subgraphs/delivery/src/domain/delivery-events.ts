import type { NewEvent } from '@sky/events';

/**
 * The events this subgraph produces, typed by their contracts (@sky/contracts). The order
 * subgraph consumes them: the rider's user id lets it show the order to its rider; picked up and
 * delivered move the order to DELIVERY_IN_PROGRESS and COMPLETED.
 */
export type DeliveryEvent = Extract<NewEvent, { type: `delivery.${string}` }>;

type RiderEventType = 'delivery.assigned' | 'delivery.picked_up';

/** An event about a delivery and its rider. */
export function riderEvent(
  type: RiderEventType,
  delivery: { id: string; orderId: string },
  rider: { id: string; userId: string },
  at: Date,
): DeliveryEvent {
  return {
    type,
    aggregateType: 'Delivery',
    aggregateId: delivery.id,
    payload: {
      deliveryId: delivery.id,
      orderId: delivery.orderId,
      riderId: rider.id,
      riderUserId: rider.userId,
      at: at.toISOString(),
    },
  };
}

/** Handed over: by the rider, or by the system's auto-complete timer. */
export function deliveredEvent(
  delivery: { id: string; orderId: string },
  rider: { id: string; userId: string },
  by: 'RIDER' | 'SYSTEM',
  at: Date,
): DeliveryEvent {
  return {
    type: 'delivery.delivered',
    aggregateType: 'Delivery',
    aggregateId: delivery.id,
    payload: {
      deliveryId: delivery.id,
      orderId: delivery.orderId,
      riderId: rider.id,
      riderUserId: rider.userId,
      by,
      at: at.toISOString(),
    },
  };
}

/** The rider no longer carries the delivery (its order was cancelled). */
export function unassignedEvent(
  delivery: { id: string; orderId: string },
  rider: { id: string; userId: string },
  reason: string,
  at: Date,
): DeliveryEvent {
  return {
    type: 'delivery.unassigned',
    aggregateType: 'Delivery',
    aggregateId: delivery.id,
    payload: {
      deliveryId: delivery.id,
      orderId: delivery.orderId,
      riderId: rider.id,
      riderUserId: rider.userId,
      reason,
      at: at.toISOString(),
    },
  };
}

/** No rider is available; dispatch keeps trying. */
export function waitingEvent(delivery: { id: string; orderId: string }, at: Date): DeliveryEvent {
  return {
    type: 'delivery.waiting',
    aggregateType: 'Delivery',
    aggregateId: delivery.id,
    payload: { deliveryId: delivery.id, orderId: delivery.orderId, at: at.toISOString() },
  };
}
