import { canSeeDelivery, isRiderSelfOrAdmin } from '../permissions.ts';
import type { QueryResolvers } from '../__generated__/resolvers-types.ts';

/** The shield requires a viewer on every field here; hidden and unknown ids both answer null. */
export const Query: QueryResolvers = {
  rider: async (_parent, { id }, { viewer, stores }) => {
    const rider = await stores.riders.load(id);
    return rider && viewer && isRiderSelfOrAdmin(rider, viewer) ? rider : null;
  },
  delivery: async (_parent, { id }, { viewer, stores }) => {
    const delivery = await stores.deliveries.load(id);
    return delivery && viewer && (await canSeeDelivery(delivery, viewer, stores)) ? delivery : null;
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
