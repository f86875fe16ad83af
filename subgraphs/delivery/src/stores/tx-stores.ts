import { conflict } from '@sky/errors';
import type {
  LivePubSub,
  Outbox,
  RunInTransaction as RunInKitTransaction,
  TransactionScope,
} from '@sky/events';
import type { Logger } from '@sky/logging';
import { Prisma } from '../__generated__/prisma/client.ts';
import { CourierAnnouncements } from '../live/announce.ts';
import { OfferAnnouncements } from '../live/offer-feed.ts';
import { DeliveryWrites } from './delivery-writes.ts';
import { OfferWrites } from './offer-writes.ts';
import { RiderWrites } from './rider-writes.ts';

export type DeliveryTx = Prisma.TransactionClient;

/** The write side, bound to one transaction: a change and its events commit together or not at all. */
export interface TxStores {
  deliveries: DeliveryWrites;
  riders: RiderWrites;
  offers: OfferWrites;
  /** Events and durable timers of this transaction. */
  outbox: Outbox;
}

/** What the write stores announce besides their rows: live courier and offer messages after the commit. */
export interface LiveAnnouncer {
  live: LivePubSub;
  logger: Logger;
}

export function createTxStores(
  scope: TransactionScope<DeliveryTx>,
  announcer: LiveAnnouncer,
): TxStores {
  const announcements = new CourierAnnouncements(
    announcer.live,
    announcer.logger,
    scope.afterCommit,
  );
  return {
    deliveries: new DeliveryWrites(scope.tx, announcements),
    riders: new RiderWrites(scope.tx),
    offers: new OfferWrites(
      scope.tx,
      new OfferAnnouncements(announcer.live, announcer.logger, scope.afterCommit),
    ),
    outbox: scope.outbox,
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
 * Runs `work` in one transaction of the subgraph's transaction helper, with the write stores; a
 * concurrency conflict becomes CONFLICT: nothing was written.
 */
export function transactionRunner(
  transaction: RunInKitTransaction<DeliveryTx>,
  announcer: LiveAnnouncer,
): RunInTransaction {
  return async (work) => {
    try {
      return await transaction((scope) => work(createTxStores(scope, announcer)));
    } catch (error) {
      if (isConcurrencyConflict(error)) {
        throw conflict('A concurrent change to this delivery or rider won; read it and try again.');
      }
      throw error;
    }
  };
}
