import type { PaymentDeps } from './deps.ts';
import { applyProviderResult, failPendingPayment } from './settlement.ts';

export const NO_CONFIRMATION_REASON = 'The payment provider did not confirm the payment in time.';

/**
 * The `payment.reconcile` job: a while after an attempt was created, asks the provider about it
 * when no callback has settled it. A settled payment at the provider is applied as its callback
 * would have been (a success on a FAILED attempt is accepted or refunded); one the provider has
 * not settled (or never received) fails, releasing the order for a new attempt. A later
 * callback for it is still honoured (a success is then refunded or accepted, see settlement).
 */
export async function reconcilePayment(deps: PaymentDeps, paymentId: string): Promise<void> {
  const payment = await deps.ledger.findPayment(paymentId);
  if (!payment || (payment.status !== 'PENDING' && payment.status !== 'FAILED')) return;
  if (!deps.provider) throw new Error('no payment provider is configured');
  const remote = await deps.provider.findPayment(payment.id);
  await deps.ledger.transaction(async (ledger) => {
    const snapshot = await ledger.lockSnapshot(payment.orderId);
    const locked = await ledger.lockPayment(payment.id);
    if (!locked) return;
    if (remote && remote.status !== 'PENDING') {
      const outcome = await applyProviderResult(
        ledger,
        snapshot,
        locked,
        {
          providerPaymentId: remote.providerPaymentId,
          status: remote.status,
          amount: remote.amount,
          currency: remote.currency,
          occurredAt: new Date(),
        },
        deps.logger,
      );
      deps.logger.info({ paymentId, outcome }, 'payment reconciled with the provider');
      return;
    }
    if (await failPendingPayment(ledger, locked, NO_CONFIRMATION_REASON)) {
      deps.logger.info({ paymentId }, 'pending payment failed: no confirmation from the provider');
    }
  });
}
