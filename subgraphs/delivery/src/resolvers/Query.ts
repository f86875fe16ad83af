import { notFound } from '@sky/errors';
import { canSeeDelivery, isRiderSelfOrAdmin } from '../permissions.ts';
import type { QueryResolvers } from '../__generated__/resolvers-types.ts';

/**
 * The shield requires a viewer on every field here. Missing or not yours (docs section 6): hidden
 * and unknown ids both answer null with the same NOT_FOUND error.
 */
export const Query: QueryResolvers = {
  rider: async (_parent, { id }, { viewer, stores }) => {
    const rider = await stores.riders.load(id);
    if (rider && viewer && isRiderSelfOrAdmin(rider, viewer)) return rider;
    throw notFound('Rider');
  },
  delivery: async (_parent, { id }, { viewer, stores }) => {
    const delivery = await stores.deliveries.load(id);
    if (delivery && viewer && (await canSeeDelivery(delivery, viewer, stores))) return delivery;
    throw notFound('Delivery');
  },
  myRiderProfile: (_parent, _args, { viewer, stores }) =>
    viewer ? stores.riders.loadByUserId(viewer.userId) : null,
  myActiveDelivery: async (_parent, _args, { viewer, stores }) => {
    const rider = viewer ? await stores.riders.loadByUserId(viewer.userId) : null;
    return rider ? stores.deliveries.loadActiveForRider(rider.id) : null;
  },
  myDeliveryOffer: async (_parent, _args, { viewer, stores }) => {
    const rider = viewer ? await stores.riders.loadByUserId(viewer.userId) : null;
    return rider ? stores.offers.loadPendingForRider(rider.id) : null;
  },
};
