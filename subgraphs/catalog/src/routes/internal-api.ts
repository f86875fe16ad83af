import { quoteItem, quoteOrder, reserveStock } from '@sky/contracts';
import type { LivePubSub } from '@sky/events';
import { implement, type InternalRoute } from '@sky/server-kit';
import { announceCatalogChange } from '../live/catalog-changes.ts';
import type { CatalogPrisma } from '../stores/index.ts';
import { OrderingService } from '../services/ordering.ts';
import type { ObjectStorage } from '../stores/object-storage.ts';

/**
 * The catalog's internal endpoints (`POST /internal/<name>`, service token required), under
 * their contracts in @sky/contracts: a body that breaks its contract is refused (BAD_USER_INPUT
 * naming the field) before the service runs; domain refusals travel back with their codes.
 * A reservation changes `stockLeftToday`, so it is announced to the gateway's response cache.
 */
export function catalogInternalApi(
  prisma: CatalogPrisma,
  storage: ObjectStorage | null,
  live: LivePubSub,
): InternalRoute[] {
  // The storage gives quoted items their pictures' URLs (orders keep them in their snapshot).
  const ordering = new OrderingService(prisma, storage);
  return [
    implement(quoteItem, (input) => ordering.quoteItem(input)),
    implement(quoteOrder, (input) => ordering.quoteOrder(input, new Date())),
    implement(reserveStock, async (input) => {
      const reserved = await ordering.reserveStock(input, new Date());
      await announceCatalogChange(live, input.merchantId);
      return reserved;
    }),
  ];
}
