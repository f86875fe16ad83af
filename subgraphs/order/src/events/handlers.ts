import { isUuid } from '@sky/database';
import type { DomainEvent, EventHandler, JobHandler } from '@sky/events';
import type { Logger } from '@sky/logging';
import type { Prisma, PrismaClient } from '../__generated__/prisma/client.ts';
import { abandonedPlacementEvent, type StatusChange } from '../domain/order-events.ts';
import { orderChanged, statusChangeNotices } from '../live/channels.ts';
import type { LiveNotifier } from '../live/notifier.ts';
import { changeStatus } from '../services/lifecycle.ts';
import { createTxStores, transactionRunner, type TxStores } from '../stores/tx-stores.ts';

/**
 * What the order subgraph does with other subgraphs' events and with its own timers. Event
 * handlers run inside the transaction that records the event as processed (once per event id),
 * and each is also a conditional change on its own, so a repeat changes nothing; jobs may run
 * more than once, so every one of them is a conditional change too. Live messages go out only
 * once the change has committed (`afterCommit`, or after the job's transaction).
 */

type Tx = Prisma.TransactionClient;
type AfterCommit = Parameters<EventHandler<Tx>>[2];

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
): Record<string, EventHandler<Tx>> {
  /** A status change driven by an event, announced live once committed; false when not allowed now. */
  const eventTransition = async (
    stores: TxStores,
    orderId: string,
    change: StatusChange,
    afterCommit: AfterCommit,
  ): Promise<boolean> => {
    const result = await changeStatus(stores, orderId, change);
    if (!result.ok) return false;
    afterCommit(
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
    'payment.succeeded': async (event, tx, afterCommit) => {
      const payload = event.payload as { orderId: string; paidAt?: string; paymentId?: string };
      const at = new Date();
      const changed = await eventTransition(
        createTxStores(tx),
        payload.orderId,
        {
          action: 'PAYMENT_SUCCEEDED',
          actor: 'SYSTEM',
          actorUserId: null,
          reason: 'payment succeeded',
          at,
          paidAt: dateOr(payload.paidAt, at),
        },
        afterCommit,
      );
      if (!changed) {
        logger.info(
          { eventId: event.id, orderId: payload.orderId },
          'payment succeeded for an order that no longer waits for payment; nothing to do',
        );
      }
    },
    /** Pay status REFUNDED once payment has refunded a cancelled order. */
    'payment.refunded': async (event, tx, afterCommit) => {
      const payload = event.payload as { orderId: string };
      const order = await createTxStores(tx).orders.markRefunded(payload.orderId);
      if (!order) {
        logger.warn(
          { eventId: event.id, orderId: payload.orderId },
          'refund for an order that is not cancelled or already refunded; ignored',
        );
        return;
      }
      afterCommit(() => void live.publish([orderChanged(order)]));
    },
    /** A rider accepted the delivery: that rider may now read the order. */
    'delivery.assigned': async (event, tx, afterCommit) => {
      const payload = deliveryPayload(event);
      if (!payload?.riderId || !payload.riderUserId) return malformed(event);
      const order = await createTxStores(tx).orders.assignRider(
        payload.orderId,
        { riderId: payload.riderId, riderUserId: payload.riderUserId },
        payload.at,
      );
      if (order) afterCommit(() => void live.publish([orderChanged(order)]));
      else logger.info({ eventId: event.id }, 'stale or repeated rider assignment; ignored');
    },
    /** The rider no longer delivers the order (declined after all, reassigned, cancelled). */
    'delivery.unassigned': async (event, tx, afterCommit) => {
      const payload = deliveryPayload(event);
      if (!payload?.riderId) return malformed(event);
      const order = await createTxStores(tx).orders.unassignRider(
        payload.orderId,
        payload.riderId,
        payload.at,
      );
      if (order) afterCommit(() => void live.publish([orderChanged(order)]));
    },
    /** No rider available yet, dispatch keeps trying: shown on the order as waiting for a rider. */
    'delivery.waiting': async (event, tx, afterCommit) => {
      const payload = deliveryPayload(event);
      if (!payload) return malformed(event);
      const order = await createTxStores(tx).orders.markDeliveryWaiting(
        payload.orderId,
        payload.at,
      );
      if (order) afterCommit(() => void live.publish([orderChanged(order)]));
    },
    /** CONFIRMED → DELIVERY_IN_PROGRESS, by the rider. */
    'delivery.picked_up': async (event, tx, afterCommit) => {
      const payload = deliveryPayload(event);
      if (!payload) return malformed(event);
      const changed = await eventTransition(
        createTxStores(tx),
        payload.orderId,
        riderChange('PICK_UP', payload),
        afterCommit,
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
    'delivery.delivered': async (event, tx, afterCommit) => {
      const payload = deliveryPayload(event);
      if (!payload) return malformed(event);
      const stores = createTxStores(tx);
      const deliver = riderChange('DELIVER', payload);
      if (await eventTransition(stores, payload.orderId, deliver, afterCommit)) return;
      const pickUp = {
        ...riderChange('PICK_UP', payload),
        reason: 'picked up (implied by delivery)',
      };
      if (
        (await eventTransition(stores, payload.orderId, pickUp, afterCommit)) &&
        (await eventTransition(stores, payload.orderId, deliver, afterCommit))
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
  logger: Logger,
  live: LiveNotifier,
): Record<string, JobHandler<PrismaClient>> {
  return {
    /** The durable payment timer: cancels the order if it is still unpaid (once). */
    'order.payment_timeout': async (job, prisma) => {
      const orderId = String(job.payload.orderId);
      const at = new Date();
      const result = await transactionRunner(prisma)((tx) =>
        changeStatus(tx, orderId, {
          action: 'PAYMENT_TIMEOUT',
          actor: 'SYSTEM',
          actorUserId: null,
          reason: 'payment timeout',
          at,
        }),
      );
      if (result.ok) {
        logger.info({ orderId }, 'unpaid order cancelled at its payment deadline');
        void live.publish(statusChangeNotices(result.before, result.after, at));
      }
    },
    /**
     * A placement that claimed its key but never created its order (its process died): drops the
     * claim and releases whatever stock was reserved under its order id.
     */
    'order.placement_cleanup': async (job, prisma) => {
      const payload = job.payload as {
        claimId: string;
        reservedOrderId: string;
        customerId: string;
        merchantId: string;
      };
      const released = await transactionRunner(prisma)(async (tx) => {
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
