/**
 * The events this subgraph produces (docs/contracts.md, "Delivery and live tracking"). The order
 * subgraph consumes them: the rider's user id lets it show the order to its rider; picked up and
 * delivered move the order to DELIVERY_IN_PROGRESS and COMPLETED.
 */

type RiderEventPayload = {
  deliveryId: string;
  orderId: string;
  riderId: string;
  riderUserId: string;
  at: string;
};

/** The outbox record of an event about one delivery. */
type AboutDelivery<Type, Payload> = {
  type: Type;
  aggregateType: 'Delivery';
  aggregateId: string;
  payload: Payload;
};

export type DeliveryEvent =
  | AboutDelivery<'delivery.assigned', RiderEventPayload>
  | AboutDelivery<'delivery.unassigned', RiderEventPayload & { reason: string }>
  | AboutDelivery<'delivery.picked_up', RiderEventPayload>
  | AboutDelivery<'delivery.delivered', RiderEventPayload>
  | AboutDelivery<'delivery.waiting', { deliveryId: string; orderId: string; at: string }>;

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
