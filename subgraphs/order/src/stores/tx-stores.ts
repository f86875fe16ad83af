import type {
  Outbox,
  RunInTransaction as RunInKitTransaction,
  TransactionScope,
} from '@sky/events';
import type { Prisma } from '../__generated__/prisma/client.ts';
import { CartWrites } from './cart-writes.ts';
import { IdempotencyWrites } from './idempotency-writes.ts';
import { OrderWrites } from './order-writes.ts';
import { RefundRequestWrites } from './refund-request-writes.ts';

export type OrderTx = Prisma.TransactionClient;

/** The write side, bound to one transaction: a change and its events commit together or not at all. */
export interface TxStores {
  orders: OrderWrites;
  carts: CartWrites;
  idempotency: IdempotencyWrites;
  refundRequests: RefundRequestWrites;
  /** Events and durable timers of this transaction. */
  outbox: Outbox;
  /** Runs `callback` once the transaction has committed (live messages). */
  afterCommit: TransactionScope<OrderTx>['afterCommit'];
}

export function createTxStores(scope: TransactionScope<OrderTx>): TxStores {
  return {
    orders: new OrderWrites(scope.tx),
    carts: new CartWrites(scope.tx),
    idempotency: new IdempotencyWrites(scope.tx),
    refundRequests: new RefundRequestWrites(scope.tx),
    outbox: scope.outbox,
    afterCommit: scope.afterCommit,
  };
}

export type RunInTransaction = <T>(work: (stores: TxStores) => Promise<T>) => Promise<T>;

/** Runs `work` in one transaction of the subgraph's transaction helper, with the write stores. */
export function transactionRunner(transaction: RunInKitTransaction<OrderTx>): RunInTransaction {
  return (work) => transaction((scope) => work(createTxStores(scope)));
}
