import { z } from '@sky/config';
import type { DomainEvent, EventHandler, TransactionScope } from '@sky/events';
import { LedgerTransaction, type Tx } from '../stores/ledger.ts';
import type { PaymentDeps } from './deps.ts';
import { failPendingPayment, RefundReason, requestRefund } from './settlement.ts';

const money = z.object({ amount: z.number().int(), currency: z.string().length(3) });

const orderPlaced = z.object({
  orderId: z.string().uuid(),
  customerId: z.string().uuid(),
  merchantId: z.string().uuid(),
  total: money,
  paymentDueAt: z.string().nullish(),
});

const orderCancelled = z.object({
  orderId: z.string().uuid(),
  customerId: z.string().uuid(),
  merchantId: z.string().uuid(),
  reason: z.string().nullish(),
  at: z.string().nullish(),
});

export const CANCELLED_BEFORE_CONFIRMATION =
  'The order was cancelled before the payment was confirmed.';

/** order.placed: remember what the order costs and who pays it. */
export async function onOrderPlaced(
  event: DomainEvent,
  scope: TransactionScope<Tx>,
): Promise<void> {
  const payload = orderPlaced.parse(event.payload);
  await new LedgerTransaction(scope).upsertPlacedSnapshot({
    orderId: payload.orderId,
    customerId: payload.customerId,
    merchantId: payload.merchantId,
    totalAmount: payload.total.amount,
    currency: payload.total.currency,
    paymentDueAt: payload.paymentDueAt ? new Date(payload.paymentDueAt) : null,
  });
}

/**
 * order.cancelled: the order can no longer be paid; its succeeded payment is refunded (once,
 * however often this runs), and a pending one fails (its late success would be refunded).
 */
export async function onOrderCancelled(
  deps: Pick<PaymentDeps, 'logger'>,
  event: DomainEvent,
  scope: TransactionScope<Tx>,
): Promise<void> {
  const payload = orderCancelled.parse(event.payload);
  const ledger = new LedgerTransaction(scope);
  await ledger.markSnapshotCancelled({
    orderId: payload.orderId,
    customerId: payload.customerId,
    merchantId: payload.merchantId,
    at: payload.at ? new Date(payload.at) : new Date(),
  });
  await ledger.lockSnapshot(payload.orderId);
  const live = await ledger.findLivePayment(payload.orderId);
  const payment = live && (await ledger.lockPayment(live.id));
  if (!payment) return;
  if (payment.status === 'PENDING') {
    await failPendingPayment(ledger, payment, CANCELLED_BEFORE_CONFIRMATION);
  } else if (payment.status === 'SUCCEEDED') {
    const reason = payload.reason ? `Order cancelled: ${payload.reason}` : 'Order cancelled.';
    const refund = await requestRefund(ledger, payment, RefundReason.ORDER_CANCELLED, reason);
    if (refund)
      deps.logger.info({ paymentId: payment.id, refundId: refund.id }, 'refund requested');
  }
}

/** The payment subgraph's event consumers (routes in packages/events/src/routes.ts). */
export function orderEventHandlers(
  deps: Pick<PaymentDeps, 'logger'>,
): Record<string, EventHandler<Tx>> {
  return {
    'order.placed': onOrderPlaced,
    'order.cancelled': (event, scope) => onOrderCancelled(deps, event, scope),
  };
}
