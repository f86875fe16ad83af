import type { EventHandlers, JobHandler, ParsedEvent, TransactionScope } from '@sky/events';
import { LedgerTransaction, type Tx } from '../stores/ledger.ts';
import { JobKind, type PaymentDeps } from '../services/deps.ts';
import { reconcilePayment } from '../services/reconcile.ts';
import { executeRefund } from '../services/refunds.ts';
import {
  afterSaleRequestKey,
  failPendingPayment,
  RefundReason,
  requestRefund,
} from '../services/settlement.ts';

export const CANCELLED_BEFORE_CONFIRMATION =
  'The order was cancelled before the payment was confirmed.';

/** order.placed: remember what the order costs and who pays it. */
export async function onOrderPlaced(
  { payload }: ParsedEvent<'order.placed'>,
  scope: TransactionScope<Tx>,
): Promise<void> {
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
  { payload }: ParsedEvent<'order.cancelled'>,
  scope: TransactionScope<Tx>,
): Promise<void> {
  const ledger = new LedgerTransaction(scope);
  await ledger.markSnapshotCancelled({
    orderId: payload.orderId,
    customerId: payload.customerId,
    merchantId: payload.merchantId,
    at: new Date(payload.at),
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

/**
 * order.refund_approved: an after-sale refund request was approved; its amount is refunded from
 * the order's succeeded payment (a PENDING refund and the `payment.refund` job), once per request
 * however often the event arrives. The order subgraph never approves more than is left; if it
 * did, nothing is refunded and the mismatch is logged.
 */
export async function onRefundApproved(
  deps: Pick<PaymentDeps, 'logger'>,
  { payload }: ParsedEvent<'order.refund_approved'>,
  scope: TransactionScope<Tx>,
): Promise<void> {
  const ledger = new LedgerTransaction(scope);
  await ledger.lockSnapshot(payload.orderId);
  const live = await ledger.findLivePayment(payload.orderId);
  const payment = live && (await ledger.lockPayment(live.id));
  if (!payment || payment.status !== 'SUCCEEDED' || payment.currency !== payload.amount.currency) {
    deps.logger.error(
      { orderId: payload.orderId, refundRequestId: payload.refundRequestId },
      'approved after-sale refund for an order without a refundable payment; nothing refunded',
    );
    return;
  }
  const refund = await requestRefund(
    ledger,
    payment,
    afterSaleRequestKey(payload.refundRequestId),
    `After-sale refund: ${payload.reason}`,
    payload.amount.amount,
  );
  if (refund) {
    deps.logger.info({ paymentId: payment.id, refundId: refund.id }, 'after-sale refund requested');
  }
}

/** The payment subgraph's event consumers (routes and payloads: @sky/contracts). */
export function orderEventHandlers(
  deps: Pick<PaymentDeps, 'logger'>,
): EventHandlers<'payment', Tx> {
  return {
    'order.placed': onOrderPlaced,
    'order.cancelled': (event, scope) => onOrderCancelled(deps, event, scope),
    'order.refund_approved': (event, scope) => onRefundApproved(deps, event, scope),
  };
}

/** The payment subgraph's durable jobs; each is idempotent, as the job runner requires. */
export function paymentJobs(deps: PaymentDeps): Record<string, JobHandler> {
  return {
    [JobKind.REFUND]: (job) => executeRefund(deps, String(job.payload.refundId)),
    [JobKind.RECONCILE]: (job) => reconcilePayment(deps, String(job.payload.paymentId)),
  };
}
