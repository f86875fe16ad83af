import type { RunInTransaction as RunInKitTransaction } from '@sky/events';
import type { PrismaClient } from '../__generated__/prisma/client.ts';
import { CartStore } from './cart-store.ts';
import { OrderStore } from './order-store.ts';
import { transactionRunner, type OrderTx, type RunInTransaction } from './tx-stores.ts';

/** The only code that touches the order database. A new set is made per request (DataLoaders). */
export interface OrderStores {
  orders: OrderStore;
  carts: CartStore;
  /** The write side: runs its work in one transaction (changes, events and timers together). */
  transaction: RunInTransaction;
}

export function createOrderStores(runtime: {
  prisma: PrismaClient;
  transaction: RunInKitTransaction<OrderTx>;
}): OrderStores {
  return {
    orders: new OrderStore(runtime.prisma),
    carts: new CartStore(runtime.prisma),
    transaction: transactionRunner(runtime.transaction),
  };
}

export { createTxStores, transactionRunner, type OrderTx, type TxStores } from './tx-stores.ts';
