import type {
  EventHandlers,
  JobHandler,
  RunInTransaction as RunInKitTransaction,
} from '@sky/events';
import type { Logger } from '@sky/logging';
import type { DispatchSettings } from '../config.ts';
import {
  createTxStores,
  transactionRunner,
  type DeliveryTx,
  type LiveAnnouncer,
} from '../stores/tx-stores.ts';
import {
  autoCompleteDelivery,
  cancelDeliveryForOrder,
  createDeliveryForOrder,
  expireOffer,
  foodReadyForOrder,
  JOBS,
  retryDispatch,
} from '../services/dispatch.ts';

/**
 * What the delivery subgraph does with the order subgraph's events (once per event id, payloads
 * parsed by their contracts in @sky/contracts). A handler runs inside the consumer's transaction; what it changed is announced (live channel, relay kick)
 * only once that transaction has committed, so a subscriber re-reading on the message sees it.
 */
export function deliveryEventHandlers(
  settings: DispatchSettings,
  announcer: LiveAnnouncer,
  logger: Logger,
): EventHandlers<'delivery', DeliveryTx> {
  return {
    /** The merchant accepted the order: create its delivery and offer it to a rider. */
    'order.confirmed': async ({ payload: confirmed }, scope) => {
      const now = new Date();
      const stores = createTxStores(scope, announcer);
      const delivery = await createDeliveryForOrder(stores, confirmed, settings, now, logger);
      logger.info(
        { orderId: confirmed.orderId, deliveryId: delivery?.id, status: delivery?.status },
        'delivery dispatched for confirmed order',
      );
    },
    /** The kitchen is done: a held offer goes out now. */
    'order.food_ready': async ({ payload: ready }, scope) => {
      const now = new Date();
      const stores = createTxStores(scope, announcer);
      const delivery = await foodReadyForOrder(stores, ready, settings, now);
      if (!delivery) {
        logger.info(
          { orderId: ready.orderId },
          'food ready for no delivery (yet, or again); ignored',
        );
      }
    },
    /** The order was cancelled: call the delivery off unless the food is already on its way. */
    'order.cancelled': async ({ payload: cancelled }, scope) => {
      const now = new Date();
      const stores = createTxStores(scope, announcer);
      const outcome = await cancelDeliveryForOrder(stores, cancelled, settings, now);
      if (outcome === 'ALREADY_PICKED_UP') {
        logger.warn(
          { orderId: cancelled.orderId },
          'order cancelled after pickup; the delivery goes on (the rider has the food)',
        );
      }
    },
  };
}

/**
 * The durable timers. Each runs its own transaction and announces what it changed after the
 * commit; each may run more than once, so each re-checks the state it acts on.
 */
export function deliveryJobs(
  transaction: RunInKitTransaction<DeliveryTx>,
  settings: DispatchSettings,
  announcer: LiveAnnouncer,
  logger: Logger,
): Record<string, JobHandler> {
  const run = transactionRunner(transaction, announcer);
  return {
    [JOBS.offerExpiry]: async (job) => {
      const offerId = String(job.payload.offerId);
      const deliveryId = String(job.payload.deliveryId);
      const expired = await run((stores) =>
        expireOffer(stores, { offerId, deliveryId }, settings, new Date()),
      );
      if (expired) logger.info({ offerId, deliveryId }, 'delivery offer lapsed; offered onwards');
    },
    [JOBS.dispatchRetry]: async (job) => {
      const deliveryId = String(job.payload.deliveryId);
      await run((stores) => retryDispatch(stores, deliveryId, settings, new Date()));
    },
    [JOBS.autoComplete]: async (job) => {
      const deliveryId = String(job.payload.deliveryId);
      const completed = await run((stores) =>
        autoCompleteDelivery(stores, deliveryId, settings, new Date()),
      );
      if (completed)
        logger.info({ deliveryId }, 'delivery not marked delivered in time; auto-completed');
    },
  };
}
