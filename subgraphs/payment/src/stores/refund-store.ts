import DataLoader from 'dataloader';
import type { PrismaClient, Refund } from '../__generated__/prisma/client.ts';
import { alignById, isUuid } from '@sky/database';
import { groupByKey } from './grouping.ts';

export class RefundStore {
  /** One SELECT for all refunds asked for in one request (entity resolution included). */
  private readonly byId = new DataLoader<string, Refund | null>(async (ids) => {
    const valid = ids.filter(isUuid);
    const rows = valid.length
      ? await this.prisma.refund.findMany({ where: { id: { in: valid } } })
      : [];
    return alignById(ids, rows);
  });

  /** Refunds of several payments in one SELECT (`Payment.refunds` over a list of payments). */
  private readonly byPaymentId = new DataLoader<string, Refund[]>(async (paymentIds) => {
    const valid = paymentIds.filter(isUuid);
    const rows = valid.length
      ? await this.prisma.refund.findMany({
          where: { paymentId: { in: valid } },
          // Oldest first, as the contract promises; the id keeps the order stable.
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        })
      : [];
    return groupByKey(paymentIds, rows, (row) => row.paymentId);
  });

  constructor(private readonly prisma: PrismaClient) {}

  load(id: string): Promise<Refund | null> {
    return this.byId.load(id);
  }

  listForPayment(paymentId: string): Promise<Refund[]> {
    return this.byPaymentId.load(paymentId);
  }
}
