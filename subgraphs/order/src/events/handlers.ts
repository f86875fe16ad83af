import { isUuid } from '@sky/database';
import type {
  DomainEvent,
  EventHandler,
  JobHandler,
  RunInTransaction as RunInKitTransaction,
} from '@sky/events';
import type { Logger } from '@sky/logging';
import { abandonedPlacementEvent, type StatusChange } from '../domain/order-events.ts';
import { orderChanged, statusChangeNotices } from '../live/channels.ts';
import type { LiveNotifier } from '../live/notifier.ts';
import { changeStatus } from '../services/lifecycle.ts';
import { createTxStores, transactionRunner, type OrderTx, type TxStores } from '../stores/index.ts';

/**
 * What the order subgraph does with other subgraphs' events and with its own timers. Event
 * handlers run inside the transaction that records the event as processed (once per event id),
 * and each is also a conditional change on its own, so a repeat changes nothing; jobs may run
 * more than once, so every one of them is a conditional change too. Live messages go out only
 * once the change has committed (`afterCommit`).
 */

const dateOr = (value: unknown, fallback: Date) => {
  const date = typeof value === 'string' ? new Date(value) : fallback;
  return Number.isNaN(date.getTime()) ? fallback : date;
};

/** The ids of a delivery event, or null when the payload is not what docs/contracts.md says. */
function deliveryPayload(event: DomainEvent) {
  const payload = event.payload as {
    orderId?: unknown;
    riderId?: unknown;
    riderUserId?: unknown;
    at?: unknown;
  };
  const id = (value: unknown) => (typeof value === 'string' && isUuid(value) ? value : null);
  const orderId = id(payload.orderId);
  if (!orderId) return null;
  return {
    orderId,
    riderId: id(payload.riderId),
    riderUserId: id(payload.riderUserId),
    // When it happened at the delivery subgraph: orders assignment events that arrive out of order.
    at: dateOr(payload.at, new Date()),
  };
}

export function orderEventHandlers(
  logger: Logger,
  live: LiveNotifier,
): Record<string, EventHandler<OrderTx>> {
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

  const malformed = (event: DomainEvent) => {
    // Retrying cannot repair it: recorded as handled, and said loudly.
    logger.error({ eventId: event.id, type: event.type }, 'malformed event payload; ignored');
  };

  return {
    /**
     * PENDING_PAYMENT → TO_BE_CONFIRMED, PAID, and the payment timer dropped; the merchant is told
     * of the new order (来单提醒). An order already cancelled (by its timer or its customer)
     * stays cancelled: payment refunds a payment that succeeds for a cancelled order when it
     * handles order.cancelled.
     */
    'payment.succeeded': async (event, scope) => {
      const payload = event.payload as { orderId: string; paidAt?: string; paymentId?: string };
      const at = new Date();
      const changed = await eventTransition(createTxStores(scope), payload.orderId, {
        action: 'PAYMENT_SUCCEEDED',
        actor: 'SYSTEM',
        actorUserId: null,
        reason: 'payment succeeded',
        at,
        paidAt: dateOr(payload.paidAt, at),
      });
      if (!changed) {
        logger.info(
          { eventId: event.id, orderId: payload.orderId },
          'payment succeeded for an order that no longer waits for payment; nothing to do',
        );
      }
    },
    /** Pay status REFUNDED once payment has refunded a cancelled order. */
    'payment.refunded': async (event, scope) => {
      const payload = event.payload as { orderId: string };
      const order = await createTxStores(scope).orders.markRefunded(payload.orderId);
      if (!order) {
        logger.warn(
          { eventId: event.id, orderId: payload.orderId },
          'refund for an order that is not cancelled or already refunded; ignored',
        );
        return;
      }
      scope.afterCommit(() => void live.publish([orderChanged(order)]));
    },
    /** A rider accepted the delivery: that rider may now read the order. */
    'delivery.assigned': async (event, scope) => {
      const payload = deliveryPayload(event);
      if (!payload?.riderId || !payload.riderUserId) return malformed(event);
      const order = await createTxStores(scope).orders.assignRider(
        payload.orderId,
        { riderId: payload.riderId, riderUserId: payload.riderUserId },
        payload.at,
      );
      if (order) scope.afterCommit(() => void live.publish([orderChanged(order)]));
      else logger.info({ eventId: event.id }, 'stale or repeated rider assignment; ignored');
    },
    /** The rider no longer delivers the order (declined after all, reassigned, cancelled). */
    'delivery.unassigned': async (event, scope) => {
      const payload = deliveryPayload(event);
      if (!payload?.riderId) return malformed(event);
      const order = await createTxStores(scope).orders.unassignRider(
        payload.orderId,
        payload.riderId,
        payload.at,
      );
      if (order) scope.afterCommit(() => void live.publish([orderChanged(order)]));
    },
    /** No rider available yet, dispatch keeps trying: shown on the order as waiting for a rider. */
    'delivery.waiting': async (event, scope) => {
      const payload = deliveryPayload(event);
      if (!payload) return malformed(event);
      const order = await createTxStores(scope).orders.markDeliveryWaiting(
        payload.orderId,
        payload.at,
      );
      if (order) scope.afterCommit(() => void live.publish([orderChanged(order)]));
    },
    /** CONFIRMED → DELIVERY_IN_PROGRESS, by the rider. */
    'delivery.picked_up': async (event, scope) => {
      const payload = deliveryPayload(event);
      if (!payload) return malformed(event);
      const changed = await eventTransition(
        createTxStores(scope),
        payload.orderId,
        riderChange('PICK_UP', payload),
      );
      if (!changed) {
        logger.info({ eventId: event.id }, 'pickup of an order that is not CONFIRMED; ignored');
      }
    },
    /**
     * DELIVERY_IN_PROGRESS → COMPLETED, by the rider. A delivery that overtook its pickup event
     * (redelivered out of order) implies the pickup: it is recorded first, and the late pickup
     * event then changes nothing.
     */
    'delivery.delivered': async (event, scope) => {
      const payload = deliveryPayload(event);
      if (!payload) return malformed(event);
      const stores = createTxStores(scope);
      const deliver = riderChange('DELIVER', payload);
      if (await eventTransition(stores, payload.orderId, deliver)) return;
      const pickUp = {
        ...riderChange('PICK_UP', payload),
        reason: 'picked up (implied by delivery)',
      };
      if (
        (await eventTransition(stores, payload.orderId, pickUp)) &&
        (await eventTransition(stores, payload.orderId, deliver))
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
  payload: { riderUserId: string | null; at: Date },
): StatusChange {
  return { action, actor: 'RIDER', actorUserId: payload.riderUserId, reason: null, at: payload.at };
}

export function orderJobs(
  transaction: RunInKitTransaction<OrderTx>,
  logger: Logger,
  live: LiveNotifier,
): Record<string, JobHandler> {
  const run = transactionRunner(transaction);
  return {
    /** The durable payment timer: cancels the order if it is still unpaid (once). */
    'order.payment_timeout': async (job) => {
      const orderId = String(job.payload.orderId);
      const at = new Date();
      const result = await run(async (tx) => {
        const changed = await changeStatus(tx, orderId, {
          action: 'PAYMENT_TIMEOUT',
          actor: 'SYSTEM',
          actorUserId: null,
          reason: 'payment timeout',
          at,
        });
        if (changed.ok) {
          tx.afterCommit(
            () => void live.publish(statusChangeNotices(changed.before, changed.after, at)),
          );
        }
        return changed;
      });
      if (result.ok) logger.info({ orderId }, 'unpaid order cancelled at its payment deadline');
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
