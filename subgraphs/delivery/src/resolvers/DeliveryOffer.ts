import type { DeliveryOfferResolvers } from '../__generated__/resolvers-types.ts';

export const DeliveryOffer: DeliveryOfferResolvers = {
  // The offer row always names an existing delivery (foreign key, cascade on delete).
  delivery: async (offer, _args, { stores }) => (await stores.deliveries.load(offer.deliveryId))!,
  // The offer row always names an existing rider (foreign key, cascade on delete).
  rider: async (offer, _args, { stores }) => (await stores.riders.load(offer.riderId))!,
};
