import { liveMessageCause, stoppableIterator, type LivePubSub } from '@sky/events';
import type { Logger } from '@sky/logging';
import { rememberCause } from '@sky/telemetry';
import type { DeliveryOffer } from '../stores/index.ts';

/**
 * A rider's offer feed (`deliveryOffers`): the live channel `rider-offers:<riderId>` says an offer
 * for that rider was made, withdrawn or lapsed; the subscriber reads the offer from the database.
 * The channel is per rider, so a message never reaches another rider's stream.
 */
export const riderOffersChannel = (riderId: string) => `rider-offers:${riderId}`;

export type OfferEventKind = 'NEW' | 'WITHDRAWN' | 'EXPIRED';
const KINDS: readonly string[] = ['NEW', 'WITHDRAWN', 'EXPIRED'];

export interface OfferMessage {
  kind: OfferEventKind;
  offerId: string;
  /** ISO-8601 instant. */
  at: string;
}

/** One event of the feed: the offer as it is when sent. */
export interface OfferEvent {
  kind: OfferEventKind;
  offer: DeliveryOffer;
  at: Date;
}

/**
 * The offer messages of one transaction, published once it has committed (best effort: an offer
 * that was never announced still shows in `Delivery.currentOffer` and expires on its own).
 */
export class OfferAnnouncements {
  private readonly pending: { riderId: string; message: OfferMessage }[] = [];

  constructor(
    private readonly live: LivePubSub,
    private readonly logger: Logger,
    private readonly afterCommit: (callback: () => void) => void,
  ) {}

  offerChanged(offer: Pick<DeliveryOffer, 'id' | 'riderId'>, kind: OfferEventKind, at: Date): void {
    if (this.pending.length === 0) this.afterCommit(() => this.publish());
    this.pending.push({
      riderId: offer.riderId,
      message: { kind, offerId: offer.id, at: at.toISOString() },
    });
  }

  private publish(): void {
    for (const { riderId, message } of this.pending) {
      this.live
        .publish(riderOffersChannel(riderId), message)
        .catch((error: unknown) =>
          this.logger.warn({ err: error, riderId }, 'offer update not published'),
        );
    }
  }
}

type Result = IteratorResult<OfferEvent>;
const DONE: Result = { done: true, value: undefined };

/**
 * The `deliveryOffers` stream of one rider. It starts with the offer waiting for the rider now,
 * if any (a rider who reconnects sees it again), then turns each message on the rider's channel
 * into an event; a message about another rider's offer, an unreadable one, or a repeat of an event
 * already sent is dropped. An explicit iterator, so `return()` ends the live subscription at once.
 */
export function offerStream(options: {
  riderId: string;
  /** The rider's channel, already listening (`pending` is its first `next()`). */
  source: AsyncIterator<OfferMessage>;
  pending: Promise<IteratorResult<OfferMessage>>;
  /** The offer waiting for the rider now, read after listening started. */
  current: () => Promise<DeliveryOffer | null>;
  read: (offerId: string) => Promise<DeliveryOffer | null>;
}): AsyncIterableIterator<OfferEvent> {
  const { source, read, riderId } = options;
  let pending: Promise<IteratorResult<OfferMessage>> | null = options.pending;
  let started = false;
  let finished = false;
  const sent = new Set<string>();

  const finish = async (): Promise<Result> => {
    if (!finished) {
      finished = true;
      await source.return?.();
    }
    return DONE;
  };

  const next = async (): Promise<Result> => {
    if (!started) {
      started = true;
      const offer = await options.current();
      if (finished) return DONE;
      if (offer) {
        sent.add(`NEW:${offer.id}`);
        return { done: false, value: { kind: 'NEW', offer, at: offer.offeredAt } };
      }
    }
    for (;;) {
      if (finished) return DONE;
      const message = await (pending ?? source.next());
      pending = null;
      if (finished || message.done) return finish();
      const { kind, offerId, at } = message.value;
      const when = new Date(at);
      if (!KINDS.includes(kind) || typeof offerId !== 'string' || Number.isNaN(when.getTime())) {
        continue;
      }
      if (sent.has(`${kind}:${offerId}`)) continue;
      const offer = await read(offerId);
      if (finished) return DONE;
      if (!offer || offer.riderId !== riderId) continue;
      sent.add(`${kind}:${offerId}`);
      const event: OfferEvent = { kind, offer, at: when };
      rememberCause(event, liveMessageCause(message.value));
      return { done: false, value: event };
    }
  };

  return stoppableIterator(next, finish);
}
