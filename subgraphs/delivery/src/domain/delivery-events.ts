/**
 * The events this subgraph produces (docs/contracts.md, "Delivery and live tracking"). The order
 * subgraph consumes them: the rider's user id lets it show the order to its rider; picked up and
 * delivered move the order to DELIVERY_IN_PROGRESS and COMPLETED.
 */

interface RiderEventPayload {
  deliveryId: string;
  orderId: string;
  riderId: string;
  riderUserId: string;
  at: string;
}

export type DeliveryEvent =
  | { type: 'delivery.assigned'; payload: RiderEventPayload }
  | { type: 'delivery.unassigned'; payload: RiderEventPayload & { reason: string } }
  | { type: 'delivery.picked_up'; payload: RiderEventPayload }
  | { type: 'delivery.delivered'; payload: RiderEventPayload }
  | { type: 'delivery.waiting'; payload: { deliveryId: string; orderId: string; at: string } };

type RiderEventType = Exclude<DeliveryEvent['type'], 'delivery.unassigned' | 'delivery.waiting'>;

/** An event about a delivery and its rider. */
export function riderEvent(
  type: RiderEventType,
  delivery: { id: string; orderId: string },
  rider: { id: string; userId: string },
  at: Date,
): DeliveryEvent {
  return {
    type,
    payload: {
      deliveryId: delivery.id,
      orderId: delivery.orderId,
      riderId: rider.id,
      riderUserId: rider.userId,
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
    payload: { deliveryId: delivery.id, orderId: delivery.orderId, at: at.toISOString() },
  };
}
