import { conflict } from '@sky/errors';
import { Prisma, type PrismaClient } from '../__generated__/prisma/client.ts';
import { ChangeLog } from './change-log.ts';
import { DeliveryWrites } from './delivery-writes.ts';
import { OfferWrites } from './offer-writes.ts';
import { OutboxWrites } from './outbox-writes.ts';
import { RiderWrites } from './rider-writes.ts';

/** The write side, bound to one transaction: a change and its events commit together or not at all. */
export interface TxStores {
  deliveries: DeliveryWrites;
  riders: RiderWrites;
  offers: OfferWrites;
  outbox: OutboxWrites;
  /** What the transaction changed, announced after it commits. */
  log: ChangeLog;
}

export function createTxStores(tx: Prisma.TransactionClient, log = new ChangeLog()): TxStores {
  return {
    deliveries: new DeliveryWrites(tx, log),
    riders: new RiderWrites(tx),
    offers: new OfferWrites(tx),
    outbox: new OutboxWrites(tx, log),
    log,
  };
}

export type RunInTransaction = <T>(work: (stores: TxStores) => Promise<T>) => Promise<T>;

/**
 * A unique violation (e.g. a second active delivery for one rider: `activeRiderId`) or a write
 * conflict/deadlock the database resolved by aborting us: a concurrent change won.
 */
const isConcurrencyConflict = (error: unknown): boolean =>
  error instanceof Prisma.PrismaClientKnownRequestError &&
  (error.code === 'P2002' || error.code === 'P2034');

/**
 * Runs `work` in one database transaction; after it commits, `announce` gets the change log
 * (live updates, relay kick). A concurrency conflict becomes CONFLICT: nothing was written.
 */
export function transactionRunner(
  prisma: PrismaClient,
  announce: (log: ChangeLog) => void,
  timeoutMs = 10_000,
): RunInTransaction {
  return async (work) => {
    const log = new ChangeLog();
    let result;
    try {
      result = await prisma.$transaction((tx) => work(createTxStores(tx, log)), {
        timeout: timeoutMs,
        maxWait: timeoutMs,
      });
    } catch (error) {
      if (isConcurrencyConflict(error)) {
        throw conflict('A concurrent change to this delivery or rider won; read it and try again.');
      }
      throw error;
    }
    announce(log);
    return result;
  };
}
