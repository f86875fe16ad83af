import { createHash } from 'node:crypto';
import type { Viewer } from '@sky/auth';
import { isUuid } from '@sky/database';
import { badUserInput, domainError, ErrorCode, forbidden } from '@sky/errors';
import type { OrderSnapshot, Payment, PaymentMethod } from '../stores/index.ts';
import { ProviderRefusedError, type ProviderOutcome } from '../clients/payment-provider.ts';
import type { LedgerTransaction } from '../stores/ledger.ts';
import { JobKind, reconcileJobKey, type PaymentDeps } from './deps.ts';
import { failPendingPayment } from './settlement.ts';

export type TestOutcome = 'SUCCESS' | 'DECLINE' | 'TIMEOUT';

export interface PayOrderRequest {
  orderId: string;
  method: PaymentMethod;
  idempotencyKey: string;
  testOutcome: TestOutcome | null;
}

const MAX_KEY_LENGTH = 255;

const PROVIDER_OUTCOME: Record<TestOutcome, ProviderOutcome> = {
  SUCCESS: 'success',
  DECLINE: 'decline',
  TIMEOUT: 'timeout',
};

export const PROVIDER_UNAVAILABLE_REASON = 'The payment provider could not be reached.';

/** What makes two payOrder requests "the same input" for one idempotency key. */
export function payOrderRequestHash(request: PayOrderRequest): string {
  return createHash('sha256')
    .update(JSON.stringify([request.orderId, request.method, request.testOutcome]))
    .digest('hex');
}

/** Refuses malformed input with BAD_USER_INPUT and the offending field. */
export function validatePayOrder(request: PayOrderRequest, allowTestOutcome: boolean): void {
  const key = request.idempotencyKey;
  if (key.trim() === '' || key.length > MAX_KEY_LENGTH) {
    throw badUserInput(
      `idempotencyKey must have 1 to ${MAX_KEY_LENGTH} characters.`,
      'idempotencyKey',
    );
  }
  if (!isUuid(request.orderId)) throw badUserInput('orderId is not a valid id.', 'orderId');
  if (request.testOutcome && !allowTestOutcome) {
    throw badUserInput('testOutcome is not accepted in production.', 'testOutcome');
  }
}

const invalidState = (message: string) => domainError(ErrorCode.INVALID_STATE_TRANSITION, message);

/** Another request took the same idempotency key between our check and our insert. */
class KeyTakenConcurrently extends Error {}

/**
 * The payment a known key points at, or IDEMPOTENCY_KEY_REUSED when it was used for another
 * input.
 */
function replay(
  existing: { requestHash: string; payment: Payment } | null,
  requestHash: string,
): Payment | null {
  if (!existing) return null;
  if (existing.requestHash !== requestHash) {
    throw domainError(
      ErrorCode.IDEMPOTENCY_KEY_REUSED,
      'This idempotency key was already used for a different payment request.',
    );
  }
  return existing.payment;
}

/**
 * The order as payment knows it: its snapshot from order.placed, or, when that event has not
 * arrived yet, the order subgraph's own answer (stored as the snapshot). Refuses orders that are
 * not the caller's or not waiting for payment.
 */
async function orderSnapshotFor(
  deps: PaymentDeps,
  viewer: Viewer,
  orderId: string,
  requestId?: string,
): Promise<OrderSnapshot> {
  let snapshot = await deps.ledger.findSnapshot(orderId);
  if (!snapshot) {
    const order = await deps.fetchOrder(orderId, requestId);
    if (order.customerId !== viewer.userId) throw forbidden('This is not your order.');
    const cancelled = order.status === 'CANCELLED';
    if (!cancelled && (order.status !== 'PENDING_PAYMENT' || order.payStatus !== 'UNPAID')) {
      throw invalidState(`The order is ${order.status} and ${order.payStatus}; it cannot be paid.`);
    }
    snapshot = await deps.ledger.insertSnapshotIfAbsent({
      orderId: order.orderId,
      customerId: order.customerId,
      merchantId: order.merchantId,
      totalAmount: order.total.amount,
      currency: order.total.currency,
      paymentDueAt: order.paymentDueAt ? new Date(order.paymentDueAt) : null,
      cancelledAt: cancelled ? new Date() : null,
    });
  }
  if (snapshot.customerId !== viewer.userId) throw forbidden('This is not your order.');
  return snapshot;
}

/**
 * Under the order's lock: the payment this request stands for, either an existing one (same
 * key, or the order's live attempt) or a new PENDING attempt for the order's total.
 */
async function createOrReuseAttempt(
  ledger: LedgerTransaction,
  deps: PaymentDeps,
  viewer: Viewer,
  request: PayOrderRequest,
  requestHash: string,
): Promise<{ payment: Payment; created: boolean }> {
  const snapshot = await ledger.lockSnapshot(request.orderId);
  if (!snapshot) throw new Error(`order snapshot ${request.orderId} vanished`);
  const known = replay(
    await ledger.findIdempotencyKey(viewer.userId, request.idempotencyKey),
    requestHash,
  );
  if (known) return { payment: known, created: false };
  if (snapshot.cancelledAt) throw invalidState('The order is cancelled; it cannot be paid.');

  const keyFor = async (paymentId: string) => {
    const added = await ledger.addIdempotencyKey({
      customerId: viewer.userId,
      key: request.idempotencyKey,
      requestHash,
      paymentId,
    });
    if (!added) throw new KeyTakenConcurrently();
  };

  const live = await ledger.findLivePayment(request.orderId);
  if (live) {
    if (live.status === 'REFUNDED') throw invalidState('The order was paid and refunded.');
    // Paying twice charges once: whatever the key, the order's pending or paid attempt answers.
    await keyFor(live.id);
    return { payment: live, created: false };
  }
  if (snapshot.paymentDueAt && snapshot.paymentDueAt.getTime() <= Date.now()) {
    throw invalidState('The time to pay this order is over.');
  }
  if (snapshot.totalAmount <= 0) throw new Error(`order ${request.orderId} has no amount to pay`);
  const payment = await ledger.createPayment({
    orderId: snapshot.orderId,
    customerId: snapshot.customerId,
    merchantId: snapshot.merchantId,
    // The amount is the server's: the order's total from its snapshot, never the client's.
    amount: snapshot.totalAmount,
    currency: snapshot.currency,
    method: request.method,
    status: 'PENDING',
    liveOrderId: snapshot.orderId,
  });
  await keyFor(payment.id);
  await ledger.scheduleJob({
    kind: JobKind.RECONCILE,
    key: reconcileJobKey(payment.id),
    dueAt: new Date(Date.now() + deps.reconcileAfterSeconds * 1000),
    payload: { paymentId: payment.id },
  });
  return { payment, created: true };
}

/** Sends a new attempt to the provider; on failure the attempt is FAILED (try a new key). */
async function submitToProvider(
  deps: PaymentDeps,
  payment: Payment,
  testOutcome: TestOutcome | null,
): Promise<Payment> {
  const provider = deps.provider!;
  try {
    const answer = await provider.createPayment({
      merchantReference: payment.id,
      amount: payment.amount,
      currency: payment.currency,
      callbackUrl: deps.callbackUrl(),
      ...(testOutcome ? { outcome: PROVIDER_OUTCOME[testOutcome] } : {}),
    });
    await deps.ledger.transaction((ledger) =>
      ledger.recordProviderPaymentId(payment.id, answer.providerPaymentId),
    );
  } catch (error) {
    deps.logger.warn({ err: error, paymentId: payment.id }, 'payment provider call failed');
    const reason =
      error instanceof ProviderRefusedError
        ? `The payment provider refused the payment (${error.code}).`
        : PROVIDER_UNAVAILABLE_REASON;
    // The reconciliation job stays: if the provider did take the payment after all, it is
    // accepted (or refunded) when reconciliation or a late callback says so.
    await deps.ledger.transaction(async (ledger) => {
      await ledger.lockSnapshot(payment.orderId);
      const locked = await ledger.lockPayment(payment.id);
      if (locked) await failPendingPayment(ledger, locked, reason);
    });
  }
  return (await deps.ledger.findPayment(payment.id))!;
}

/** `payOrder`: see its description in schema/payment.graphql. */
export async function payOrder(
  deps: PaymentDeps,
  viewer: Viewer,
  request: PayOrderRequest,
  requestId?: string,
): Promise<Payment> {
  validatePayOrder(request, deps.allowTestOutcome);
  if (!deps.provider) throw new Error('no payment provider is configured');
  const requestHash = payOrderRequestHash(request);
  // A repeated request is answered before anything else (no call to the order subgraph).
  const known = replay(
    await deps.ledger.findIdempotencyKey(viewer.userId, request.idempotencyKey),
    requestHash,
  );
  if (known) return known;
  await orderSnapshotFor(deps, viewer, request.orderId, requestId);

  let attempt: { payment: Payment; created: boolean };
  try {
    attempt = await deps.ledger.transaction((ledger) =>
      createOrReuseAttempt(ledger, deps, viewer, request, requestHash),
    );
  } catch (error) {
    if (!(error instanceof KeyTakenConcurrently)) throw error;
    // The same key was just used by a concurrent request for another order: answer as a replay.
    attempt = await deps.ledger.transaction((ledger) =>
      createOrReuseAttempt(ledger, deps, viewer, request, requestHash),
    );
  }
  if (!attempt.created) return attempt.payment;
  return submitToProvider(deps, attempt.payment, request.testOutcome);
}
