import type {
  EventHandlers,
  JobHandler,
  RunInTransaction as RunInKitTransaction,
} from '@sky/events';
import type { Logger } from '@sky/logging';
import {
  ACCEPT_TIMEOUT_JOB,
  abandonedPlacementEvent,
  acceptTimeoutJobKey,
  type StatusChange,
} from '../domain/order-events.ts';
import { formatAmount } from '../domain/refund-requests.ts';
import { orderChanged, statusChangeNotices } from '../live/channels.ts';
import type { LiveNotifier } from '../live/notifier.ts';
import { changeStatus } from '../services/lifecycle.ts';
import { createTxStores, transactionRunner, type OrderTx, type TxStores } from '../stores/index.ts';

/**
 * What the order subgraph does with other subgraphs' events and with its own timers. Event
 * handlers run inside the transaction that records the event as processed (once per event id),
 * with payloads already parsed by their contracts (@sky/contracts); each is also a conditional
 * change on its own, so a repeat changes nothing. Jobs may run more than once, so every one of
 * them is a conditional change too. Live messages go out only once the change has committed
 * (`afterCommit`).
 */

export function orderEventHandlers(
  logger: Logger,
  live: LiveNotifier,
  settings: { acceptTimeoutSeconds: number },
): EventHandlers<'order', OrderTx> {
  /** A status change driven by an event, announced live once committed; false when not allowed now. */
  const eventTransition = async (
    stores: TxStores,
    orderId: string,
    change: StatusChange,
  ): Promise<boolean> => {
    const result = await changeStatus(stores, orderId, change);
    if (!result.ok) return false;
    stores.afterCommit(
      () => void live.publish(statusChangeNotices(result.before, result.after, change.at)),
    );
    return true;
  };

  const recordPaymentFailure = async (
    scope: Parameters<typeof createTxStores>[0],
    orderId: string,
    failure: { outcome: 'DECLINED' | 'FAILED'; reason: string; at: Date },
  ) => {
    const order = await createTxStores(scope).orders.recordPaymentFailure(orderId, failure);
    if (order) scope.afterCommit(() => void live.publish([orderChanged(order)]));
    else logger.info({ orderId }, 'payment failure for an order no longer waiting for payment');
  };

  const afterSaleRefunded = async (
    scope: Parameters<typeof createTxStores>[0],
    payload: {
      orderId: string;
      refundId: string;
      amount: { amount: number; currency: string };
      at: string;
    },
    refundRequestId: string,
  ) => {
    const stores = createTxStores(scope);
    const at = new Date(payload.at);
    const request = await stores.refundRequests.markRefunded(refundRequestId, payload.refundId, at);
    if (!request) {
      logger.info({ refundRequestId }, 'refund of a request that is not APPROVED; ignored');
      return;
    }
    const order = await stores.orders.afterSaleStep(
      payload.orderId,
      { openBefore: refundRequestId, openAfter: null, refunded: payload.amount.amount },
      {
        actor: 'SYSTEM',
        actorUserId: null,
        reason: `after-sale refund of ${formatAmount(payload.amount.amount, payload.amount.currency)} paid`,
        at,
      },
    );
    if (!order) {
      // Never expected: an approved request holds its order's open slot until it is paid.
      logger.error({ refundRequestId }, 'after-sale refund paid for a request that is not open');
      return;
    }
    scope.afterCommit(() => void live.publish([orderChanged(order)]));
  };

  return {
    /**
     * PENDING_PAYMENT → TO_BE_CONFIRMED, PAID, the payment timer dropped and the accept timer
     * set; the merchant is told of the new order (来单提醒). An order already cancelled (by its timer or its customer)
     * stays cancelled: payment refunds a payment that succeeds for a cancelled order when it
     * handles order.cancelled.
     */
    'payment.succeeded': async (event, scope) => {
      const { orderId, paidAt } = event.payload;
      const stores = createTxStores(scope);
      const at = new Date();
      const changed = await eventTransition(stores, orderId, {
        action: 'PAYMENT_SUCCEEDED',
        actor: 'SYSTEM',
        actorUserId: null,
        reason: 'payment succeeded',
        at,
        paidAt: new Date(paidAt),
      });
      if (changed) {
        // The merchant has this long to accept or reject; the timer goes when the order moves on.
        await stores.outbox.scheduleJob({
          kind: ACCEPT_TIMEOUT_JOB,
          key: acceptTimeoutJobKey(orderId),
          dueAt: new Date(at.getTime() + settings.acceptTimeoutSeconds * 1000),
          payload: { orderId },
        });
      } else {
        logger.info(
          { eventId: event.id, orderId },
          'payment succeeded for an order that no longer waits for payment; nothing to do',
        );
      }
    },
    /**
     * A declined or failed attempt of an order that still waits for payment: shown on the order
     * (`paymentFailure`) as a new version, so a paying screen's spinner ends. Nothing changes for
     * an order that is paid or cancelled meanwhile.
     */
    'payment.declined': async (event, scope) => {
      const { orderId, reason, at } = event.payload;
      await recordPaymentFailure(scope, orderId, {
        outcome: 'DECLINED',
        reason,
        at: at ? new Date(at) : new Date(),
      });
    },
    'payment.failed': async (event, scope) => {
      const { orderId, reason, at } = event.payload;
      await recordPaymentFailure(scope, orderId, { outcome: 'FAILED', reason, at: new Date(at) });
    },
    /**
     * Payment refunded money. For an after-sale request (`refundRequestId`): the request is
     * REFUNDED, the order's refunded amount grows (pay status PARTIALLY_REFUNDED or REFUNDED) and
     * its open request is closed, once. Otherwise pay status REFUNDED for a cancelled order.
     */
    'payment.refunded': async (event, scope) => {
      const { orderId, refundRequestId } = event.payload;
      if (refundRequestId) {
        await afterSaleRefunded(scope, event.payload, refundRequestId);
        return;
      }
      const order = await createTxStores(scope).orders.markRefunded(orderId);
      if (!order) {
        logger.warn(
          { eventId: event.id, orderId },
          'refund for an order that is not cancelled or already refunded; ignored',
        );
        return;
      }
      scope.afterCommit(() => void live.publish([orderChanged(order)]));
    },
    /**
     * A rider accepted the delivery: that rider may now read the order. Assignment events carry
     * the instant they happened at the delivery subgraph (`at`), which orders those that arrive
     * out of order.
     */
    'delivery.assigned': async (event, scope) => {
      const { orderId, riderId, riderUserId, at } = event.payload;
      const order = await createTxStores(scope).orders.assignRider(
        orderId,
        { riderId, riderUserId },
        new Date(at),
      );
      if (order) scope.afterCommit(() => void live.publish([orderChanged(order)]));
      else logger.info({ eventId: event.id }, 'stale or repeated rider assignment; ignored');
    },
    /** The rider no longer delivers the order (declined after all, reassigned, cancelled). */
    'delivery.unassigned': async (event, scope) => {
      const { orderId, riderId, at } = event.payload;
      const order = await createTxStores(scope).orders.unassignRider(
        orderId,
        riderId,
        new Date(at),
      );
      if (order) scope.afterCommit(() => void live.publish([orderChanged(order)]));
    },
    /** No rider available yet, dispatch keeps trying: shown on the order as waiting for a rider. */
    'delivery.waiting': async (event, scope) => {
      const { orderId, at } = event.payload;
      const order = await createTxStores(scope).orders.markDeliveryWaiting(orderId, new Date(at));
      if (order) scope.afterCommit(() => void live.publish([orderChanged(order)]));
    },
    /** CONFIRMED → DELIVERY_IN_PROGRESS, by the rider. */
    'delivery.picked_up': async (event, scope) => {
      const changed = await eventTransition(
        createTxStores(scope),
        event.payload.orderId,
        riderChange('PICK_UP', event.payload),
      );
      if (!changed) {
        logger.info({ eventId: event.id }, 'pickup of an order that is not CONFIRMED; ignored');
      }
    },
    /**
     * DELIVERY_IN_PROGRESS → COMPLETED, by the rider, or by SYSTEM when delivery's auto-complete
     * timer did it (the rider never marked it delivered). A delivery that overtook its pickup event
     * (redelivered out of order) implies the pickup: it is recorded first, and the late pickup
     * event then changes nothing.
     */
    'delivery.delivered': async (event, scope) => {
      const { orderId, by } = event.payload;
      const stores = createTxStores(scope);
      const deliver: StatusChange =
        by === 'SYSTEM'
          ? {
              action: 'DELIVER',
              actor: 'SYSTEM',
              actorUserId: null,
              reason: 'auto-completed: not marked delivered in time',
              at: new Date(event.payload.at),
            }
          : riderChange('DELIVER', event.payload);
      if (await eventTransition(stores, orderId, deliver)) return;
      const pickUp = {
        ...riderChange('PICK_UP', event.payload),
        reason: 'picked up (implied by delivery)',
      };
      if (
        (await eventTransition(stores, orderId, pickUp)) &&
        (await eventTransition(stores, orderId, deliver))
      ) {
        return;
      }
      logger.info({ eventId: event.id }, 'delivery of an order not on its way; ignored');
    },
  };
}

/** A status change the assigned rider made (reported by the delivery subgraph). */
function riderChange(
  action: 'PICK_UP' | 'DELIVER',
  payload: { riderUserId: string; at: string },
): StatusChange {
  return {
    action,
    actor: 'RIDER',
    actorUserId: payload.riderUserId,
    reason: null,
    at: new Date(payload.at),
  };
}

export function orderJobs(
  transaction: RunInKitTransaction<OrderTx>,
  logger: Logger,
  live: LiveNotifier,
): Record<string, JobHandler> {
  const run = transactionRunner(transaction);
  /** A status change by the platform's timer, announced live once committed (only if it was still allowed). */
  const timerTransition = (
    orderId: string,
    action: 'PAYMENT_TIMEOUT' | 'ACCEPT_TIMEOUT',
    reason: string,
  ) => {
    const at = new Date();
    return run(async (tx) => {
      const changed = await changeStatus(tx, orderId, {
        action,
        actor: 'SYSTEM',
        actorUserId: null,
        reason,
        at,
      });
      if (changed.ok) {
        tx.afterCommit(
          () => void live.publish(statusChangeNotices(changed.before, changed.after, at)),
        );
      }
      return changed;
    });
  };
  return {
    /** The durable payment timer: cancels the order if it is still unpaid (once). */
    'order.payment_timeout': async (job) => {
      const orderId = String(job.payload.orderId);
      const result = await timerTransition(orderId, 'PAYMENT_TIMEOUT', 'payment timeout');
      if (result.ok) logger.info({ orderId }, 'unpaid order cancelled at its payment deadline');
    },
    /**
     * The accept timer: a paid order still TO_BE_CONFIRMED is rejected by the system, which
     * refunds it through order.cancelled like any cancellation of a paid order. A merchant who
     * accepts or rejects at the same moment wins or loses the conditional update; never both.
     */
    [ACCEPT_TIMEOUT_JOB]: async (job) => {
      const orderId = String(job.payload.orderId);
      const result = await timerTransition(
        orderId,
        'ACCEPT_TIMEOUT',
        'merchant did not accept in time',
      );
      if (result.ok)
        logger.info({ orderId }, 'paid order not accepted in time; rejected and refunded');
    },
    /**
     * A placement that claimed its key but never created its order (its process died): drops the
     * claim and releases whatever stock was reserved under its order id.
     */
    'order.placement_cleanup': async (job) => {
      const payload = job.payload as {
        claimId: string;
        reservedOrderId: string;
        customerId: string;
        merchantId: string;
      };
      const released = await run(async (tx) => {
        if (!(await tx.idempotency.release(payload.claimId, payload.reservedOrderId))) return false;
        await tx.outbox.append(
          abandonedPlacementEvent({
            reservedOrderId: payload.reservedOrderId,
            customerId: payload.customerId,
            merchantId: payload.merchantId,
            reason: 'order placement abandoned',
            at: new Date(),
          }),
        );
        return true;
      });
      if (released) {
        logger.warn({ orderId: payload.reservedOrderId }, 'abandoned order placement released');
      }
    },
  };
}
