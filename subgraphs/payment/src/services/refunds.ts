import { toMoney } from '@sky/contracts';
import { ProviderRefusedError } from '../clients/payment-provider.ts';
import type { PaymentDeps } from './deps.ts';
import { refundRequestIdOf } from './settlement.ts';

/**
 * Sends a pending refund to the provider and settles it (the `payment.refund` job). The
 * provider call is idempotent on the refund's id, so running this again after a crash or a lost
 * answer never refunds twice. A provider that cannot be reached makes it throw: the job runs
 * again later with backoff, so no refund is lost. A refusal is final: the refund is FAILED.
 */
export async function executeRefund(deps: PaymentDeps, refundId: string): Promise<void> {
  const refund = await deps.ledger.findRefund(refundId);
  if (!refund || refund.status !== 'PENDING') return;
  const { payment } = refund;
  if (!deps.provider) throw new Error('no payment provider is configured');
  if (!payment.providerPaymentId) {
    throw new Error(`payment ${payment.id} has no provider id to refund`);
  }
  let providerRefundId: string;
  try {
    ({ providerRefundId } = await deps.provider.refund({
      providerPaymentId: payment.providerPaymentId,
      amount: refund.amount,
      merchantReference: refund.id,
    }));
  } catch (error) {
    if (!(error instanceof ProviderRefusedError)) throw error;
    deps.logger.error({ err: error, refundId }, 'payment provider refused a refund');
    await deps.ledger.transaction(async (ledger) => {
      await ledger.lockPayment(payment.id);
      await ledger.settleRefund(refundId, { status: 'FAILED' });
    });
    return;
  }
  await deps.ledger.transaction(async (ledger) => {
    const locked = (await ledger.lockPayment(payment.id))!;
    const settled = await ledger.settleRefund(refundId, { status: 'SUCCEEDED', providerRefundId });
    if (!settled) return;
    if ((await ledger.succeededRefundTotal(payment.id)) >= locked.amount) {
      await ledger.transitionPayment(payment.id, ['SUCCEEDED'], { status: 'REFUNDED' });
    }
    await ledger.appendEvent({
      type: 'payment.refunded',
      aggregateType: 'payment',
      aggregateId: payment.id,
      payload: {
        paymentId: payment.id,
        refundId,
        orderId: payment.orderId,
        amount: toMoney(settled.amount, settled.currency),
        at: settled.completedAt!.toISOString(),
        refundRequestId: refundRequestIdOf(settled.requestKey),
      },
    });
  });
}
