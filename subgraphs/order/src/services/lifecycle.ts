import {
  acceptTimeoutJobKey,
  paymentTimeoutJobKey,
  statusChangeEvents,
  type StatusChange,
} from '../domain/order-events.ts';
import type { TransitionResult } from '../stores/order-writes.ts';
import type { TxStores } from '../stores/tx-stores.ts';

/**
 * The one way an order's status changes, for public actions, event handlers and timers alike:
 * the checked transition with its history entry, its events, and the payment timer dropped once
 * the order leaves PENDING_PAYMENT (the accept timer once it leaves TO_BE_CONFIRMED), all in the
 * caller's transaction.
 */
export async function changeStatus(
  stores: TxStores,
  orderId: string,
  change: StatusChange,
): Promise<TransitionResult> {
  const result = await stores.orders.transition(orderId, change);
  if (!result.ok) return result;
  for (const event of statusChangeEvents(result.before, result.after, change)) {
    await stores.outbox.append(event);
  }
  if (result.before.status === 'PENDING_PAYMENT') {
    await stores.outbox.cancelJob(paymentTimeoutJobKey(orderId));
  }
  if (result.before.status === 'TO_BE_CONFIRMED' && result.after.status !== 'TO_BE_CONFIRMED') {
    await stores.outbox.cancelJob(acceptTimeoutJobKey(orderId));
  }
  return result;
}
