import type { ProviderCallback } from '@sky/contracts';
import { isUuid } from '@sky/database';
import type { CallbackPayload } from '../stores/index.ts';
import type { PaymentDeps } from './deps.ts';
import { applyProviderResult } from './settlement.ts';

export interface CallbackAnswer {
  httpStatus: number;
  outcome: string;
}

/**
 * Handles a callback whose signature was verified: matches it to our payment by our reference
 * (and the provider's id once we know it), drops an event id that was handled already, applies
 * the verdict and records the callback, all in one transaction under the order's lock, so two
 * concurrent deliveries of one callback make one transition.
 */
export async function handleProviderCallback(
  deps: PaymentDeps,
  callback: ProviderCallback,
  payload: CallbackPayload,
): Promise<CallbackAnswer> {
  const found = isUuid(callback.merchantReference)
    ? await deps.ledger.findPayment(callback.merchantReference)
    : null;
  const matches =
    found !== null &&
    (found.providerPaymentId === null || found.providerPaymentId === callback.providerPaymentId);
  if (!found || !matches) {
    deps.logger.warn(
      { eventId: callback.eventId, merchantReference: callback.merchantReference },
      'provider callback for an unknown payment',
    );
    await deps.ledger.recordCallback({
      providerEventId: null,
      paymentId: found?.id ?? null,
      signatureValid: true,
      payload,
      outcome: 'UNKNOWN_PAYMENT',
    });
    return { httpStatus: 404, outcome: 'UNKNOWN_PAYMENT' };
  }

  return deps.ledger.transaction(async (ledger): Promise<CallbackAnswer> => {
    const snapshot = await ledger.lockSnapshot(found.orderId);
    const payment = (await ledger.lockPayment(found.id))!;
    const first = await ledger.claimCallback({
      providerEventId: callback.eventId,
      paymentId: payment.id,
      signatureValid: true,
      payload,
      outcome: 'PROCESSING',
    });
    if (!first) {
      // A replay (or the provider retrying after a lost answer): acknowledged, nothing changes.
      await ledger.recordCallback({
        providerEventId: null,
        paymentId: payment.id,
        signatureValid: true,
        payload,
        outcome: 'DUPLICATE',
      });
      return { httpStatus: 200, outcome: 'DUPLICATE' };
    }
    const outcome = await applyProviderResult(
      ledger,
      snapshot,
      payment,
      {
        providerPaymentId: callback.providerPaymentId,
        status: callback.status,
        amount: callback.amount,
        currency: callback.currency,
        occurredAt: new Date(callback.occurredAt),
      },
      deps.logger,
    );
    await ledger.setCallbackOutcome(callback.eventId, outcome);
    return { httpStatus: 200, outcome };
  });
}
