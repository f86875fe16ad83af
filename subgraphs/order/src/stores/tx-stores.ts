import type { Prisma, PrismaClient } from '../__generated__/prisma/client.ts';
import { CartWrites } from './cart-writes.ts';
import { IdempotencyWrites } from './idempotency-writes.ts';
import { OrderWrites } from './order-writes.ts';
import { OutboxWrites } from './outbox-writes.ts';

/** The write side, bound to one transaction: a change and its events commit together or not at all. */
export interface TxStores {
  orders: OrderWrites;
  carts: CartWrites;
  idempotency: IdempotencyWrites;
  outbox: OutboxWrites;
}

export function createTxStores(tx: Prisma.TransactionClient): TxStores {
  return {
    orders: new OrderWrites(tx),
    carts: new CartWrites(tx),
    idempotency: new IdempotencyWrites(tx),
    outbox: new OutboxWrites(tx),
  };
}

export type RunInTransaction = <T>(work: (stores: TxStores) => Promise<T>) => Promise<T>;

/** Runs `work` in one database transaction (Prisma's interactive transaction). */
export function transactionRunner(prisma: PrismaClient, timeoutMs = 10_000): RunInTransaction {
  return (work) =>
    prisma.$transaction((tx) => work(createTxStores(tx)), {
      timeout: timeoutMs,
      maxWait: timeoutMs,
    });
}
