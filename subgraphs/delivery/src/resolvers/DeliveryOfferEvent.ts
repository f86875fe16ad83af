import type { DeliveryOfferEventResolvers } from '../__generated__/resolvers-types.ts';

/** One message of `deliveryOffers`: the offer row, and its delivery for where and how far. */
export const DeliveryOfferEvent: DeliveryOfferEventResolvers = {
  offerId: ({ offer }) => offer.id,
  deliveryId: ({ offer }) => offer.deliveryId,
  offeredAt: ({ offer }) => offer.offeredAt,
  expiresAt: ({ offer }) => offer.expiresAt,
  pickupDistanceMeters: ({ offer }) => offer.pickupDistanceMeters,
  // The offer row always names an existing delivery (foreign key, cascade on delete).
  merchant: async ({ offer }, _args, { stores }) => ({
    id: (await stores.deliveries.load(offer.deliveryId))!.merchantId,
  }),
  pickupLocation: async ({ offer }, _args, { stores }) => {
    const delivery = (await stores.deliveries.load(offer.deliveryId))!;
    return { latitude: delivery.pickupLatitude, longitude: delivery.pickupLongitude };
  },
  deliveryDistanceMeters: async ({ offer }, _args, { stores }) =>
    (await stores.deliveries.load(offer.deliveryId))!.distanceMeters,
};
