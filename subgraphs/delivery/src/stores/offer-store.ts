import { rowsByKey } from '@sky/database';
import type { DeliveryOffer, PrismaClient } from '../__generated__/prisma/client.ts';

export class OfferStore {
  /**
   * The pending offer of each delivery. `pendingDeliveryId` holds the delivery's id only while the
   * offer is PENDING, so it finds at most one row per delivery.
   */
  private readonly pendingByDeliveryId = rowsByKey<DeliveryOffer>(
    (deliveryIds) =>
      this.prisma.deliveryOffer.findMany({ where: { pendingDeliveryId: { in: deliveryIds } } }),
    (offer) => offer.pendingDeliveryId,
  );

  /** The offer waiting for each rider's answer (`pendingRiderId` is unique the same way). */
  private readonly pendingByRiderId = rowsByKey<DeliveryOffer>(
    (riderIds) =>
      this.prisma.deliveryOffer.findMany({ where: { pendingRiderId: { in: riderIds } } }),
    (offer) => offer.pendingRiderId,
  );

  constructor(private readonly prisma: PrismaClient) {}

  loadPendingForDelivery(deliveryId: string): Promise<DeliveryOffer | null> {
    return this.pendingByDeliveryId.load(deliveryId);
  }

  loadPendingForRider(riderId: string): Promise<DeliveryOffer | null> {
    return this.pendingByRiderId.load(riderId);
  }

  /** Live feeds read past the request's cache: the offer as it is now. */
  fetch(offerId: string): Promise<DeliveryOffer | null> {
    return this.prisma.deliveryOffer.findUnique({ where: { id: offerId } });
  }

  fetchPendingForRider(riderId: string): Promise<DeliveryOffer | null> {
    return this.prisma.deliveryOffer.findUnique({ where: { pendingRiderId: riderId } });
  }
}
