import type { DomainEvent, EventHandler, JobHandler } from '@sky/events';
import type { Logger } from '@sky/logging';
import type { Prisma, PrismaClient } from '../__generated__/prisma/client.ts';
import { abandonedPlacementEvent } from '../domain/order-events.ts';
import { changeStatus } from '../services/lifecycle.ts';
import { createTxStores, transactionRunner } from '../stores/tx-stores.ts';

/**
 * What the order subgraph does with other subgraphs' events and with its own timers. Event
 * handlers run inside the transaction that records the event as processed (once per event id);
 * jobs may run more than once, so every one of them is a conditional change.
 */

type Tx = Prisma.TransactionClient;

const dateOr = (value: unknown, fallback: Date) => {
  const date = typeof value === 'string' ? new Date(value) : fallback;
  return Number.isNaN(date.getTime()) ? fallback : date;
};

export function orderEventHandlers(logger: Logger): Record<string, EventHandler<Tx>> {
  return {
    /**
     * PENDING_PAYMENT → TO_BE_CONFIRMED, PAID, and the payment timer dropped. An order already
     * cancelled (by its timer or its customer) stays cancelled: payment refunds a payment that
     * succeeds for a cancelled order when it handles order.cancelled.
     */
    'payment.succeeded': async (event: DomainEvent, tx: Tx) => {
      const payload = event.payload as { orderId: string; paidAt?: string; paymentId?: string };
      const at = new Date();
      const result = await changeStatus(createTxStores(tx), payload.orderId, {
        action: 'PAYMENT_SUCCEEDED',
        actor: 'SYSTEM',
        actorUserId: null,
        reason: 'payment succeeded',
        at,
        paidAt: dateOr(payload.paidAt, at),
      });
      if (!result.ok) {
        logger.info(
          { eventId: event.id, orderId: payload.orderId, status: result.order?.status ?? null },
          'payment succeeded for an order that no longer waits for payment; nothing to do',
        );
      }
    },
    /** Pay status REFUNDED once payment has refunded a cancelled order. */
    'payment.refunded': async (event: DomainEvent, tx: Tx) => {
      const payload = event.payload as { orderId: string };
      if (!(await createTxStores(tx).orders.markRefunded(payload.orderId))) {
        logger.warn(
          { eventId: event.id, orderId: payload.orderId },
          'refund for an order that is not cancelled or already refunded; ignored',
        );
      }
    },
  };
}

export function orderJobs(logger: Logger): Record<string, JobHandler<PrismaClient>> {
  return {
    /** The durable payment timer: cancels the order if it is still unpaid (once). */
    'order.payment_timeout': async (job, prisma) => {
      const orderId = String(job.payload.orderId);
      const result = await transactionRunner(prisma)((tx) =>
        changeStatus(tx, orderId, {
          action: 'PAYMENT_TIMEOUT',
          actor: 'SYSTEM',
          actorUserId: null,
          reason: 'payment timeout',
          at: new Date(),
        }),
      );
      if (result.ok) logger.info({ orderId }, 'unpaid order cancelled at its payment deadline');
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
