import type { Payment, PrismaClient } from '../__generated__/prisma/client.ts';
import { firstRowByParent, rowsById } from '@sky/database';

export class PaymentStore {
  /** One SELECT for all payments asked for in one request (entity resolution included). */
  private readonly byId = rowsById((ids) =>
    this.prisma.payment.findMany({ where: { id: { in: ids } } }),
  );

  /**
   * The latest attempt of each order (`Order.payment` over a list of orders) in one SELECT. An
   * order has only a handful of attempts, so reading them all and keeping the newest is cheaper
   * than a per-order subquery.
   */
  private readonly latestByOrderId = firstRowByParent(
    (orderIds) =>
      this.prisma.payment.findMany({
        where: { orderId: { in: orderIds } },
        // Newest first; the id breaks ties between attempts created in the same millisecond.
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
    (row) => row.orderId,
  );

  constructor(private readonly prisma: PrismaClient) {}

  load(id: string): Promise<Payment | null> {
    return this.byId.load(id);
  }

  latestForOrder(orderId: string): Promise<Payment | null> {
    return this.latestByOrderId.load(orderId);
  }
}
