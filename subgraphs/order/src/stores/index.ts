import type { RunInTransaction as RunInKitTransaction } from '@sky/events';
import type { Database } from '@sky/database';
import { PrismaClient } from '../__generated__/prisma/client.ts';
import { CartStore } from './cart-store.ts';
import { OrderStore } from './order-store.ts';
import { RefundRequestStore } from './refund-request-store.ts';
import { ReportStore } from './report-store.ts';
import { transactionRunner, type OrderTx, type RunInTransaction } from './tx-stores.ts';

/** The only code that touches the order database. A new set is made per request (DataLoaders). */
export interface OrderStores {
  orders: OrderStore;
  carts: CartStore;
  refundRequests: RefundRequestStore;
  /** Workspace and report aggregates. */
  reports: ReportStore;
  /** The write side: runs its work in one transaction (changes, events and timers together). */
  transaction: RunInTransaction;
}

export function createOrderStores(runtime: {
  prisma: OrderPrisma;
  transaction: RunInKitTransaction<OrderTx>;
}): OrderStores {
  return {
    orders: new OrderStore(runtime.prisma),
    carts: new CartStore(runtime.prisma),
    refundRequests: new RefundRequestStore(runtime.prisma),
    reports: new ReportStore(runtime.prisma),
    transaction: transactionRunner(runtime.transaction),
  };
}

export { createTxStores, transactionRunner, type OrderTx, type TxStores } from './tx-stores.ts';

/** The order database's generated client. */
export type OrderPrisma = PrismaClient;

/** Builds the client over the subgraph's driver adapter (PostgreSQL or PGlite). */
export const createOrderPrisma = (adapter: Database['adapter']): OrderPrisma =>
  new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });

/** The rows and enums other layers pass around (resolvers' parents, services' inputs). */
export type {
  Cart,
  CartItem,
  IdempotencyKey,
  Order,
  OrderActor,
  OrderItem,
  OrderStatus,
  PayStatus,
  RefundRequest,
  RefundRequestItem,
} from '../__generated__/prisma/client.ts';
