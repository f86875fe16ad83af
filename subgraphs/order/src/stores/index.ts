import type { PrismaClient } from '../__generated__/prisma/client.ts';
import { CartStore } from './cart-store.ts';
import { OrderStore } from './order-store.ts';

/** The only code that touches the order database. A new set is made per request (DataLoaders). */
export interface OrderStores {
  orders: OrderStore;
  carts: CartStore;
}

export function createOrderStores(prisma: PrismaClient): OrderStores {
  return {
    orders: new OrderStore(prisma),
    carts: new CartStore(prisma),
  };
}
