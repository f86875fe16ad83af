import type { PrismaClient } from '../__generated__/prisma/client.ts';
import { PaymentStore } from './payment-store.ts';
import { RefundStore } from './refund-store.ts';

/** The only code that touches the payment database. A new set is made per request (DataLoaders). */
export interface PaymentStores {
  payments: PaymentStore;
  refunds: RefundStore;
}

export function createPaymentStores(prisma: PrismaClient): PaymentStores {
  return {
    payments: new PaymentStore(prisma),
    refunds: new RefundStore(prisma),
  };
}
