import DataLoader from 'dataloader';
import type { Payment, PrismaClient } from '../__generated__/prisma/client.ts';
import { alignById, isUuid } from '@sky/database';
import { firstByKey } from './grouping.ts';

export class PaymentStore {
  /** One SELECT for all payments asked for in one request (entity resolution included). */
  private readonly byId = new DataLoader<string, Payment | null>(async (ids) => {
    const valid = ids.filter(isUuid);
    const rows = valid.length
      ? await this.prisma.payment.findMany({ where: { id: { in: valid } } })
      : [];
    return alignById(ids, rows);
  });

  /**
   * The latest attempt of each order (`Order.payment` over a list of orders) in one SELECT. An
   * order has only a handful of attempts, so reading them all and keeping the newest is cheaper
   * than a per-order subquery.
   */
  private readonly latestByOrderId = new DataLoader<string, Payment | null>(async (orderIds) => {
    const valid = orderIds.filter(isUuid);
    const rows = valid.length
      ? await this.prisma.payment.findMany({
          where: { orderId: { in: valid } },
          // Newest first; the id breaks ties between attempts created in the same millisecond.
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        })
      : [];
    return firstByKey(orderIds, rows, (row) => row.orderId);
  });

  constructor(private readonly prisma: PrismaClient) {}

  load(id: string): Promise<Payment | null> {
    return this.byId.load(id);
  }

  latestForOrder(orderId: string): Promise<Payment | null> {
    return this.latestByOrderId.load(orderId);
  }
}
