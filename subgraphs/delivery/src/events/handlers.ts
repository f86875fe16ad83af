import type { EventHandler, JobHandler } from '@sky/events';
import type { Logger } from '@sky/logging';
import type { Prisma, PrismaClient } from '../__generated__/prisma/client.ts';
import type { DispatchSettings } from '../config.ts';
import { readOrderCancelled, readOrderConfirmed } from '../domain/order-events.ts';
import type { ChangeLog } from '../stores/change-log.ts';
import { createTxStores, transactionRunner } from '../stores/tx-stores.ts';
import {
  cancelDeliveryForOrder,
  createDeliveryForOrder,
  expireOffer,
  JOBS,
  retryDispatch,
} from '../services/dispatch.ts';

type Tx = Prisma.TransactionClient;

/**
 * What the delivery subgraph does with the order subgraph's events (once per event id). A handler
 * runs inside the consumer's transaction; what it changed is announced (live channel, relay kick)
 * only once that transaction has committed, so a subscriber re-reading on the message sees it.
 */
export function deliveryEventHandlers(
  settings: DispatchSettings,
  announce: (log: ChangeLog) => void,
  logger: Logger,
): Record<string, EventHandler<Tx>> {
  return {
    /** The merchant accepted the order: create its delivery and offer it to a rider. */
    'order.confirmed': async (event, tx, afterCommit) => {
      const now = new Date();
      const confirmed = readOrderConfirmed(event.payload, now);
      if (!confirmed) {
        logger.error({ eventId: event.id, payload: event.payload }, 'malformed order.confirmed');
        return;
      }
      const stores = createTxStores(tx);
      const delivery = await createDeliveryForOrder(stores, confirmed, settings, now, logger);
      logger.info(
        { orderId: confirmed.orderId, deliveryId: delivery?.id, status: delivery?.status },
        'delivery dispatched for confirmed order',
      );
      afterCommit(() => announce(stores.log));
    },
    /** The order was cancelled: call the delivery off unless the food is already on its way. */
    'order.cancelled': async (event, tx, afterCommit) => {
      const now = new Date();
      const cancelled = readOrderCancelled(event.payload, now);
      if (!cancelled) {
        logger.error({ eventId: event.id, payload: event.payload }, 'malformed order.cancelled');
        return;
      }
      const stores = createTxStores(tx);
      const outcome = await cancelDeliveryForOrder(stores, cancelled, settings, now);
      if (outcome === 'ALREADY_PICKED_UP') {
        logger.warn(
          { orderId: cancelled.orderId },
          'order cancelled after pickup; the delivery goes on (the rider has the food)',
        );
      }
      afterCommit(() => announce(stores.log));
    },
  };
}

/**
 * The durable timers. Each runs its own transaction and announces what it changed after the
 * commit; each may run more than once, so each re-checks the state it acts on.
 */
export function deliveryJobs(
  settings: DispatchSettings,
  announce: (log: ChangeLog) => void,
  logger: Logger,
): Record<string, JobHandler<PrismaClient>> {
  return {
    [JOBS.offerExpiry]: async (job, prisma) => {
      const run = transactionRunner(prisma, announce);
      const offerId = String(job.payload.offerId);
      const deliveryId = String(job.payload.deliveryId);
      const expired = await run((stores) =>
        expireOffer(stores, { offerId, deliveryId }, settings, new Date()),
      );
      if (expired) logger.info({ offerId, deliveryId }, 'delivery offer lapsed; offered onwards');
    },
    [JOBS.dispatchRetry]: async (job, prisma) => {
      const run = transactionRunner(prisma, announce);
      const deliveryId = String(job.payload.deliveryId);
      await run((stores) => retryDispatch(stores, deliveryId, settings, new Date()));
    },
  };
}
