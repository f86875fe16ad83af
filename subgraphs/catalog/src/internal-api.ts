import type { InternalHandler } from '@sky/server-kit';
import type { PrismaClient } from './__generated__/prisma/client.ts';
import { OrderingService } from './ordering/ordering-service.ts';

/**
 * The catalog's internal endpoints (`POST /internal/<name>`, service token required), as
 * docs/contracts.md describes them, plus `release-stock` (proposed for the contract: the
 * compensation of a `reserve-stock` whose order was never created). Bodies are validated by the
 * service (BAD_USER_INPUT); domain refusals travel back to the caller with their codes.
 */
export function catalogInternalApi(prisma: PrismaClient): Record<string, InternalHandler> {
  const ordering = new OrderingService(prisma);
  return {
    'quote-item': (body) => ordering.quoteItem(body),
    'quote-order': (body) => ordering.quoteOrder(body, new Date()),
    'reserve-stock': (body) => ordering.reserveStock(body, new Date()),
    'release-stock': (body) => ordering.releaseStock(body),
  };
}
