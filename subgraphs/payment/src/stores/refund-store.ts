import type { PrismaClient, Refund } from '../__generated__/prisma/client.ts';
import { rowsById, rowsByParent } from '@sky/database';

export class RefundStore {
  /** One SELECT for all refunds asked for in one request (entity resolution included). */
  private readonly byId = rowsById((ids) =>
    this.prisma.refund.findMany({ where: { id: { in: ids } } }),
  );

  /** Refunds of several payments in one SELECT (`Payment.refunds` over a list of payments). */
  private readonly byPaymentId = rowsByParent(
    (paymentIds) =>
      this.prisma.refund.findMany({
        where: { paymentId: { in: paymentIds } },
        // Oldest first, as the contract promises; the id keeps the order stable.
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      }),
    (row) => row.paymentId,
  );

  constructor(private readonly prisma: PrismaClient) {}

  load(id: string): Promise<Refund | null> {
    return this.byId.load(id);
  }

  listForPayment(paymentId: string): Promise<Refund[]> {
    return this.byPaymentId.load(paymentId);
  }
}
