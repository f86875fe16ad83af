import type { DemoOrder } from '@sky/demo-data';
import type { OrderActor, OrderStatus } from '../stores/index.ts';

/**
 * The status history a demo order went through to reach its status, so the seeded history is one
 * the state machine allows: created by the customer, paid (the system reacts to the payment),
 * accepted by the merchant's staff, picked up and delivered by the rider. A demo order that is
 * cancelled was cancelled by its customer while waiting for the merchant when it was paid, and by
 * the payment timeout otherwise.
 */

export interface DemoStatusChange {
  from: OrderStatus | null;
  to: OrderStatus;
  actor: OrderActor;
  actorUserId: string | null;
  reason: string | null;
  at: Date;
}

/** Who acted for the merchant and for the rider of an order (ids from the demo dataset). */
export interface DemoActors {
  merchantStaffUserId: string | null;
  riderUserId: string | null;
}

/** Minutes after placement at which each status is reached in the demo timeline. */
const MINUTES_AFTER_PLACEMENT: Record<OrderStatus, number> = {
  PENDING_PAYMENT: 0,
  TO_BE_CONFIRMED: 1,
  CONFIRMED: 3,
  DELIVERY_IN_PROGRESS: 20,
  COMPLETED: 45,
  CANCELLED: 15,
};

const HAPPY_PATH: OrderStatus[] = [
  'PENDING_PAYMENT',
  'TO_BE_CONFIRMED',
  'CONFIRMED',
  'DELIVERY_IN_PROGRESS',
  'COMPLETED',
];

/** The statuses an order passed through, creation included, ending with its current status. */
export function demoStatusPath(status: OrderStatus, paid: boolean): OrderStatus[] {
  if (status === 'CANCELLED') {
    return paid
      ? ['PENDING_PAYMENT', 'TO_BE_CONFIRMED', 'CANCELLED']
      : ['PENDING_PAYMENT', 'CANCELLED'];
  }
  return HAPPY_PATH.slice(0, HAPPY_PATH.indexOf(status) + 1);
}

/**
 * The history of a demo order, oldest first, with strictly increasing timestamps that are never in
 * the future: a timeline that would end after `now` is compressed to fit.
 */
export function demoStatusHistory(
  order: Pick<DemoOrder, 'customerId' | 'status' | 'paid' | 'placedAt' | 'deliveredAfterMinutes'>,
  actors: DemoActors,
  now: Date,
): DemoStatusChange[] {
  const path = demoStatusPath(order.status, order.paid);
  const placedAt = order.placedAt.getTime();
  // An order with its own delivery time stretches or shrinks the whole timeline to it.
  const pace = order.deliveredAfterMinutes
    ? order.deliveredAfterMinutes / MINUTES_AFTER_PLACEMENT.COMPLETED
    : 1;
  const lastOffsetMs = MINUTES_AFTER_PLACEMENT[path.at(-1)!] * 60_000 * pace;
  const available = now.getTime() - placedAt;
  const scale =
    (lastOffsetMs > 0 && lastOffsetMs >= available ? (available * 0.9) / lastOffsetMs : 1) * pace;
  return path.map((to, index) => {
    const from = index === 0 ? null : path[index - 1]!;
    const at = new Date(placedAt + Math.floor(MINUTES_AFTER_PLACEMENT[to] * 60_000 * scale));
    return { from, to, at, ...actorOf(from, to, order.customerId, actors) };
  });
}

function actorOf(
  from: OrderStatus | null,
  to: OrderStatus,
  customerId: string,
  actors: DemoActors,
): Pick<DemoStatusChange, 'actor' | 'actorUserId' | 'reason'> {
  switch (to) {
    case 'PENDING_PAYMENT':
      return { actor: 'CUSTOMER', actorUserId: customerId, reason: null };
    case 'TO_BE_CONFIRMED':
      // The system moves the order on when the payment subgraph reports the payment.
      return { actor: 'SYSTEM', actorUserId: null, reason: null };
    case 'CONFIRMED':
      return { actor: 'MERCHANT', actorUserId: actors.merchantStaffUserId, reason: null };
    case 'DELIVERY_IN_PROGRESS':
    case 'COMPLETED':
      return { actor: 'RIDER', actorUserId: actors.riderUserId, reason: null };
    case 'CANCELLED':
      return from === 'PENDING_PAYMENT'
        ? { actor: 'SYSTEM', actorUserId: null, reason: 'payment timeout' }
        : { actor: 'CUSTOMER', actorUserId: customerId, reason: '不想要了 Changed my mind' };
  }
}
