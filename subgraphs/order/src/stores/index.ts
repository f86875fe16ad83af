import type { PrismaClient } from '../__generated__/prisma/client.ts';
import { CartStore } from './cart-store.ts';
import { OrderStore } from './order-store.ts';
import { transactionRunner, type RunInTransaction } from './tx-stores.ts';

/** The only code that touches the order database. A new set is made per request (DataLoaders). */
export interface OrderStores {
  orders: OrderStore;
  carts: CartStore;
  /** The write side: runs its work in one transaction (changes, events and timers together). */
  transaction: RunInTransaction;
}

export function createOrderStores(prisma: PrismaClient): OrderStores {
  return {
    orders: new OrderStore(prisma),
    carts: new CartStore(prisma),
    transaction: transactionRunner(prisma),
  };
}

export { createTxStores, type TxStores } from './tx-stores.ts';
