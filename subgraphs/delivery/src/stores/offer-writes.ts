import type { DeliveryOffer, OfferResponse, Prisma } from '../__generated__/prisma/client.ts';

type Tx = Prisma.TransactionClient;

/**
 * Offer writes inside a transaction. The unique columns do the concurrency work:
 * `pendingRiderId` (a rider is asked about one delivery at a time), `pendingDeliveryId` (a
 * delivery has one open offer) and (deliveryId, riderId) (a rider is never asked twice about
 * the same delivery). An answer clears both pending columns in the same update.
 */
export class OfferWrites {
  constructor(private readonly tx: Tx) {}

  /**
   * Opens an offer; null when a unique column refuses it (the rider was just offered another
   * delivery by a concurrent dispatch), so the caller tries the next rider.
   */
  async open(input: {
    deliveryId: string;
    riderId: string;
    offeredAt: Date;
    expiresAt: Date;
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
    return rows[0] ?? null;
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
    const { count } = await this.tx.deliveryOffer.updateMany({
      where: { id: offerId, response: 'PENDING' },
      data: { response, respondedAt: at, pendingDeliveryId: null, pendingRiderId: null },
    });
    return count === 1;
  }
}
