import { isAdmin, isStaffOf, type Viewer } from '@sky/auth';
import { domainError, ErrorCode, forbidden } from '@sky/errors';
import type { OrderActor, OrderStatus } from '../stores/index.ts';

/**
 * The order lifecycle of docs/architecture.md (section 5) as one table: every status change of an
 * order goes through an action listed here, and only from the statuses listed for it.
 *
 *   PENDING_PAYMENT(1) → TO_BE_CONFIRMED(2) → CONFIRMED(3) → DELIVERY_IN_PROGRESS(4) → COMPLETED(5)
 *   CANCELLED(6): customer from 1|2, merchant from 2 (reject) or 3 (cancel before pickup),
 *   system from 1 (payment timeout) or 2 (not accepted in time), admin from 1|2|3|4.
 *   FOOD_READY is a step within CONFIRMED (recorded in the history like a transition, once).
 */
export type OrderAction =
  | 'CUSTOMER_CANCEL'
  | 'PAYMENT_SUCCEEDED'
  | 'PAYMENT_TIMEOUT'
  | 'ACCEPT'
  | 'REJECT'
  | 'MERCHANT_CANCEL'
  | 'ADMIN_CANCEL'
  | 'PICK_UP'
  | 'DELIVER'
  | 'ACCEPT_TIMEOUT'
  | 'FOOD_READY';

export interface TransitionRule {
  from: readonly OrderStatus[];
  to: OrderStatus;
  /** Who may perform it: a public caller's role, or the platform itself (events, timers). */
  by: 'CUSTOMER' | 'MERCHANT_OR_ADMIN' | 'ADMIN' | 'SYSTEM';
}

export const ORDER_TRANSITIONS: Readonly<Record<OrderAction, TransitionRule>> = {
  CUSTOMER_CANCEL: {
    from: ['PENDING_PAYMENT', 'TO_BE_CONFIRMED'],
    to: 'CANCELLED',
    by: 'CUSTOMER',
  },
  PAYMENT_SUCCEEDED: { from: ['PENDING_PAYMENT'], to: 'TO_BE_CONFIRMED', by: 'SYSTEM' },
  PAYMENT_TIMEOUT: { from: ['PENDING_PAYMENT'], to: 'CANCELLED', by: 'SYSTEM' },
  ACCEPT: { from: ['TO_BE_CONFIRMED'], to: 'CONFIRMED', by: 'MERCHANT_OR_ADMIN' },
  REJECT: { from: ['TO_BE_CONFIRMED'], to: 'CANCELLED', by: 'MERCHANT_OR_ADMIN' },
  MERCHANT_CANCEL: { from: ['CONFIRMED'], to: 'CANCELLED', by: 'MERCHANT_OR_ADMIN' },
  ADMIN_CANCEL: {
    from: ['PENDING_PAYMENT', 'TO_BE_CONFIRMED', 'CONFIRMED', 'DELIVERY_IN_PROGRESS'],
    to: 'CANCELLED',
    by: 'ADMIN',
  },
  // Driven by the delivery subgraph's events (delivery.picked_up, delivery.delivered), recorded
  // with actor RIDER; no public caller performs them here (the rider acts in the delivery subgraph).
  PICK_UP: { from: ['CONFIRMED'], to: 'DELIVERY_IN_PROGRESS', by: 'SYSTEM' },
  DELIVER: { from: ['DELIVERY_IN_PROGRESS'], to: 'COMPLETED', by: 'SYSTEM' },
  // The accept timer (job order.accept_timeout): a paid order the merchant left unanswered.
  ACCEPT_TIMEOUT: { from: ['TO_BE_CONFIRMED'], to: 'CANCELLED', by: 'SYSTEM' },
  // markFoodReady: the kitchen is done; the status stays CONFIRMED until the rider picks it up.
  FOOD_READY: { from: ['CONFIRMED'], to: 'CONFIRMED', by: 'MERCHANT_OR_ADMIN' },
};

export const canTransition = (action: OrderAction, from: OrderStatus): boolean =>
  ORDER_TRANSITIONS[action].from.includes(from);

/**
 * Whether `action` may happen to `order` now: its status allows it, and a step that happens once
 * within a status (FOOD_READY) has not happened yet.
 */
export const actionAllowed = (
  action: OrderAction,
  order: { status: OrderStatus; foodReadyAt: Date | null },
): boolean =>
  canTransition(action, order.status) && !(action === 'FOOD_READY' && order.foodReadyAt !== null);

/** The refusal of an action (a transition of the table, or another status-bound action such as a reminder). */
export function invalidTransition(
  action: OrderAction | 'REMIND' | 'REQUEST_REFUND',
  from: OrderStatus,
) {
  return domainError(
    ErrorCode.INVALID_STATE_TRANSITION,
    `This order is ${from}; that action is not possible now.`,
    { status: from, action },
  );
}

/**
 * Who performs `action` on `order` when `viewer` asks for it: the actor recorded in the status
 * history, or FORBIDDEN. Decided before the status is looked at, so a caller who may not act on
 * the order learns nothing about its state.
 */
export function actorFor(
  action: OrderAction,
  viewer: Viewer,
  order: { customerId: string; merchantId: string },
): OrderActor {
  const rule = ORDER_TRANSITIONS[action];
  switch (rule.by) {
    case 'CUSTOMER':
      if (viewer.userId === order.customerId) return 'CUSTOMER';
      break;
    case 'MERCHANT_OR_ADMIN':
      if (isStaffOf(viewer, order.merchantId)) return 'MERCHANT';
      if (isAdmin(viewer)) return 'ADMIN';
      break;
    case 'ADMIN':
      if (isAdmin(viewer)) return 'ADMIN';
      break;
    case 'SYSTEM':
      break;
  }
  throw forbidden('You may not do this to this order.');
}
