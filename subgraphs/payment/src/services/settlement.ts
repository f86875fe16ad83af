import { toMoney } from '@sky/contracts';
import type { Logger } from '@sky/logging';
import type { OrderSnapshot, Payment, Refund } from '../stores/index.ts';
import type { LedgerTransaction } from '../stores/ledger.ts';
import { JobKind, reconcileJobKey, refundJobKey } from './deps.ts';

/**
 * State changes of a payment that follow from the provider's word or from the order's fate.
 * Every function runs inside the caller's transaction, with the order's snapshot and the
 * payment locked (see LedgerTransaction), and writes its events to the outbox there.
 */

/** What the provider says about a payment (from a callback or from reconciliation). */
export interface ProviderResult {
  providerPaymentId: string;
  status: 'SUCCEEDED' | 'DECLINED';
  amount: number;
  currency: string;
  occurredAt: Date;
}

export type SettlementOutcome = 'APPLIED' | 'STALE' | 'AMOUNT_MISMATCH';

/** Why money goes back; one refund per payment and reason (Refund.requestKey). */
export const RefundReason = {
  ORDER_CANCELLED: 'order-cancelled',
  /** A late confirmation of an attempt while another attempt of the order is the charge. */
  SUPERSEDED: 'superseded',
} as const;

/** The request key of an after-sale refund: once per refund request of the order subgraph. */
export const afterSaleRequestKey = (refundRequestId: string) => `after-sale:${refundRequestId}`;
/** The refund request an after-sale refund pays, from its request key; null for other refunds. */
export const refundRequestIdOf = (requestKey: string | null): string | null =>
  requestKey?.startsWith('after-sale:') ? requestKey.slice('after-sale:'.length) : null;

export const DECLINED_REASON = 'Declined by the payment provider.';

/**
 * Asks for the rest of a succeeded payment back: a PENDING refund row and a durable job that
 * sends it to the provider until it answers. Idempotent: once per (payment, requestKey), and
 * never more than what is left of the payment (a part larger than that is refused: null).
 */
export async function requestRefund(
  ledger: LedgerTransaction,
  payment: Payment,
  requestKey: string,
  reason: string | null,
  /** A part of the payment (after-sale refunds); the whole rest when absent. */
  amount?: number,
): Promise<Refund | null> {
  const remaining = payment.amount - (await ledger.committedRefundTotal(payment.id));
  if (remaining <= 0 || (amount !== undefined && amount > remaining)) return null;
  const refund = await ledger.createRefund({
    paymentId: payment.id,
    amount: amount ?? remaining,
    currency: payment.currency,
    reason,
    requestKey,
  });
  if (refund) {
    await ledger.scheduleJob({
      kind: JobKind.REFUND,
      key: refundJobKey(refund.id),
      dueAt: new Date(),
      payload: { refundId: refund.id },
    });
  }
  return refund;
}

/**
 * Applies the provider's verdict on a payment.
 *
 * SUCCEEDED on a PENDING or FAILED attempt: the attempt becomes SUCCEEDED (paid at the
 * provider's time). If it is (or can become) the order's live attempt it is the order's charge
 * and `payment.succeeded` is written; when another attempt already holds that place, or the
 * order is cancelled, the money is refunded at once. DECLINED on a PENDING attempt: DECLINED,
 * the live place released (the customer may try again), `payment.declined` written. Anything
 * else changes nothing (STALE), and an amount that is not the one asked for is never applied.
 */
export async function applyProviderResult(
  ledger: LedgerTransaction,
  snapshot: OrderSnapshot | null,
  payment: Payment,
  result: ProviderResult,
  logger: Logger,
): Promise<SettlementOutcome> {
  if (result.amount !== payment.amount || result.currency !== payment.currency) {
    logger.error(
      { paymentId: payment.id, expected: payment.amount, got: result.amount },
      'provider reported another amount than the one charged; not applied',
    );
    return 'AMOUNT_MISMATCH';
  }
  if (result.status === 'DECLINED') {
    const declined = await ledger.transitionPayment(payment.id, ['PENDING'], {
      status: 'DECLINED',
      failureReason: DECLINED_REASON,
      liveOrderId: null,
      providerPaymentId: result.providerPaymentId,
    });
    if (!declined) return 'STALE';
    await ledger.cancelJob(reconcileJobKey(payment.id));
    await ledger.appendEvent({
      type: 'payment.declined',
      aggregateType: 'payment',
      aggregateId: payment.id,
      payload: {
        paymentId: payment.id,
        orderId: payment.orderId,
        reason: DECLINED_REASON,
        at: result.occurredAt.toISOString(),
      },
    });
    return 'APPLIED';
  }

  if (payment.status !== 'PENDING' && payment.status !== 'FAILED') return 'STALE';
  const live = payment.liveOrderId ? payment : await ledger.findLivePayment(payment.orderId);
  const isCharge = live === null || live.id === payment.id;
  const succeeded = await ledger.transitionPayment(payment.id, ['PENDING', 'FAILED'], {
    status: 'SUCCEEDED',
    paidAt: result.occurredAt,
    failureReason: null,
    providerPaymentId: result.providerPaymentId,
    liveOrderId: isCharge ? payment.orderId : null,
  });
  if (!succeeded) return 'STALE';
  await ledger.cancelJob(reconcileJobKey(payment.id));
  if (isCharge) {
    await ledger.appendEvent({
      type: 'payment.succeeded',
      aggregateType: 'payment',
      aggregateId: payment.id,
      payload: {
        paymentId: payment.id,
        orderId: payment.orderId,
        amount: toMoney(succeeded.amount, succeeded.currency),
        paidAt: result.occurredAt.toISOString(),
      },
    });
  }
  if (snapshot?.cancelledAt) {
    await requestRefund(ledger, succeeded, RefundReason.ORDER_CANCELLED, 'Order cancelled.');
  } else if (!isCharge) {
    logger.warn(
      { paymentId: payment.id, orderId: payment.orderId },
      'late confirmation of a superseded attempt; refunding it',
    );
    await requestRefund(
      ledger,
      succeeded,
      RefundReason.SUPERSEDED,
      'The order was paid by another attempt.',
    );
  }
  return 'APPLIED';
}

/**
 * A pending attempt that will not complete: FAILED, the live place released, and
 * `payment.failed` written (the order shows it while it still waits for payment).
 */
export async function failPendingPayment(
  ledger: LedgerTransaction,
  payment: Payment,
  reason: string,
): Promise<Payment | null> {
  const failed = await ledger.transitionPayment(payment.id, ['PENDING'], {
    status: 'FAILED',
    failureReason: reason,
    liveOrderId: null,
  });
  if (failed) {
    await ledger.appendEvent({
      type: 'payment.failed',
      aggregateType: 'payment',
      aggregateId: payment.id,
      payload: {
        paymentId: payment.id,
        orderId: payment.orderId,
        reason,
        at: failed.updatedAt.toISOString(),
      },
    });
  }
  return failed;
}
