import type { DeliveryOffer, OfferResponse, Prisma } from '../__generated__/prisma/client.ts';
import type { OfferAnnouncements } from '../live/offer-feed.ts';

type Tx = Prisma.TransactionClient;

/**
 * Offer writes inside a transaction. The unique columns do the concurrency work:
 * `pendingRiderId` (a rider is asked about one delivery at a time), `pendingDeliveryId` (a
 * delivery has one open offer) and (deliveryId, riderId) (a rider is never asked twice about
 * the same delivery). An answer clears both pending columns in the same update. A new offer, and
 * one withdrawn or lapsed, is announced on the rider's offer channel once the transaction commits.
 */
export class OfferWrites {
  constructor(
    private readonly tx: Tx,
    private readonly announcements: OfferAnnouncements,
  ) {}

  /**
   * Opens an offer; null when a unique column refuses it (the rider was just offered another
   * delivery by a concurrent dispatch), so the caller tries the next rider.
   */
  async open(input: {
    deliveryId: string;
    riderId: string;
    offeredAt: Date;
    expiresAt: Date;
    pickupDistanceMeters: number | null;
  }): Promise<DeliveryOffer | null> {
    const rows = await this.tx.deliveryOffer.createManyAndReturn({
      data: [
        {
          ...input,
          response: 'PENDING',
          pendingDeliveryId: input.deliveryId,
          pendingRiderId: input.riderId,
        },
      ],
      skipDuplicates: true,
    });
    const offer = rows[0] ?? null;
    if (offer) this.announcements.offerChanged(offer, 'NEW', input.offeredAt);
    return offer;
  }

  find(id: string): Promise<DeliveryOffer | null> {
    return this.tx.deliveryOffer.findUnique({ where: { id } });
  }

  findFor(deliveryId: string, riderId: string): Promise<DeliveryOffer | null> {
    return this.tx.deliveryOffer.findUnique({
      where: { deliveryId_riderId: { deliveryId, riderId } },
    });
  }

  pendingForRider(riderId: string): Promise<DeliveryOffer | null> {
    return this.tx.deliveryOffer.findUnique({ where: { pendingRiderId: riderId } });
  }

  pendingForDelivery(deliveryId: string): Promise<DeliveryOffer | null> {
    return this.tx.deliveryOffer.findUnique({ where: { pendingDeliveryId: deliveryId } });
  }

  /** PENDING → `response`; false when the offer was already answered. */
  async answer(
    offerId: string,
    response: Exclude<OfferResponse, 'PENDING'>,
    at: Date,
  ): Promise<boolean> {
    const [answered] = await this.tx.deliveryOffer.updateManyAndReturn({
      where: { id: offerId, response: 'PENDING' },
      data: { response, respondedAt: at, pendingDeliveryId: null, pendingRiderId: null },
    });
    if (!answered) return false;
    // The rider's own answers (accept, decline) need no announcement to that rider.
    if (response === 'WITHDRAWN' || response === 'EXPIRED') {
      this.announcements.offerChanged(answered, response, at);
    }
    return true;
  }
}
