import { isUuid } from '@sky/database';
import type { Prisma } from './__generated__/prisma/client.ts';
import { releaseReservation } from './stores/stock-store.ts';

/** An event as the consumer hands it over (`DomainEvent` of @sky/events, the part used here). */
export interface ConsumedEvent {
  id: string;
  type: string;
  payload: Record<string, unknown>;
}

/**
 * `order.cancelled`: gives back the stock the order reserved. The event consumer runs this in the
 * transaction that records the event as processed (so a redelivery is dropped), and the release
 * itself happens at most once per order (StockStore's RESERVED → RELEASED step), so even a second
 * event for the same order, or a direct second call, returns nothing twice. A payload without
 * usable ids cannot be acted on and is dropped rather than retried forever.
 */
export async function releaseStockOfCancelledOrder(
  event: ConsumedEvent,
  { tx }: { tx: Prisma.TransactionClient },
): Promise<void> {
  const { orderId, merchantId } = event.payload;
  if (typeof orderId !== 'string' || !isUuid(orderId)) return;
  if (typeof merchantId !== 'string' || !isUuid(merchantId)) return;
  await releaseReservation(tx, orderId, merchantId);
}

/** The events the catalog consumes (routes: packages/events/src/routes.ts). */
export const catalogEventHandlers = {
  'order.cancelled': releaseStockOfCancelledOrder,
};
