import type { EventHandlers, LivePubSub } from '@sky/events';
import { announceCatalogChange } from '../live/catalog-changes.ts';
import type { CatalogTx } from '../stores/index.ts';
import { releaseReservation } from '../stores/stock-store.ts';

/**
 * The events the catalog consumes (routes and payloads: @sky/contracts).
 *
 * `order.cancelled` gives back the stock the order reserved. The consumer runs it in the
 * transaction that records the event as processed (so a redelivery is dropped), and the release
 * itself happens at most once per order (StockStore's RESERVED → RELEASED step), so even a second
 * event for the same order returns nothing twice. A payload that breaks its contract never gets
 * here: the consumer parks it as a dead letter. Once committed, the change of `stockLeftToday` is
 * announced to the gateway's response cache.
 */
export function catalogEventHandlers(live: LivePubSub): EventHandlers<'catalog', CatalogTx> {
  return {
    'order.cancelled': async ({ payload }, scope) => {
      await releaseReservation(scope.tx, payload.orderId, payload.merchantId);
      scope.afterCommit(() => void announceCatalogChange(live, payload.merchantId));
    },
  };
}
