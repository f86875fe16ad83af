import { servicesOf } from '../context.ts';
import type { MutationResolvers } from '../__generated__/resolvers-types.ts';

/** Riders' operations; the shield has checked the RIDER role, the services check the rest. */
export const Mutation: MutationResolvers = {
  goOnline: (_parent, { location, vehicle }, ctx) =>
    servicesOf(ctx).riders.goOnline({ location, vehicle }),
  goOffline: (_parent, _args, ctx) => servicesOf(ctx).riders.goOffline(),
  updateLocation: (_parent, { location, recordedAt }, ctx) =>
    servicesOf(ctx).riders.updateLocation({ location, recordedAt }),
  acceptDeliveryOffer: (_parent, { deliveryId }, ctx) =>
    servicesOf(ctx).deliveries.accept(deliveryId),
  declineDeliveryOffer: (_parent, { deliveryId }, ctx) =>
    servicesOf(ctx).deliveries.decline(deliveryId),
  arrivedAtMerchant: (_parent, { deliveryId }, ctx) =>
    servicesOf(ctx).deliveries.arrivedAtMerchant(deliveryId),
  pickedUp: (_parent, { deliveryId }, ctx) => servicesOf(ctx).deliveries.pickedUp(deliveryId),
  delivered: (_parent, { deliveryId }, ctx) => servicesOf(ctx).deliveries.delivered(deliveryId),
};
