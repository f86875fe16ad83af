import { forbidden, notFound, unauthenticated } from '@sky/errors';
import {
  offerStream,
  riderOffersChannel,
  type OfferEvent,
  type OfferMessage,
} from '../live/offer-feed.ts';
import { canTrackCourier } from '../permissions.ts';
import { courierChannel, courierStream, type CourierMessage } from '../live/courier-stream.ts';
import type { SubscriptionResolvers } from '../__generated__/resolvers-types.ts';

/**
 * Subscriptions are authorized here, when the client subscribes (a refusal sends no event); each
 * event is then executed with a fresh context, so the Delivery fields' rules run again per event.
 */
export const Subscription: SubscriptionResolvers = {
  courierLocation: {
    subscribe: async (_parent, { orderId }, { viewer, stores, live }) => {
      if (!viewer) throw unauthenticated();
      const delivery = await stores.deliveries.fetchByOrderId(orderId);
      // One answer for "no delivery yet" and "not yours": telling them apart would show a
      // stranger whether someone else's order has a courier.
      if (!delivery || !canTrackCourier(delivery, viewer)) {
        throw notFound('Delivery of this order');
      }
      return courierStream({
        source: live.subscribe<CourierMessage>(courierChannel(orderId)),
        read: () => stores.deliveries.fetchByOrderId(orderId),
      });
    },
  },
  deliveryOffers: {
    subscribe: async (_parent, _args, { viewer, stores, live }) => {
      if (!viewer) throw unauthenticated();
      const rider = await stores.riders.loadByUserId(viewer.userId);
      if (!rider) throw forbidden('Only riders receive delivery offers.');
      // Listening starts before the current offer is read, so nothing falls in between.
      const source = live.subscribe<OfferMessage>(riderOffersChannel(rider.id));
      const pending = source.next();
      pending.catch(() => {});
      return offerStream({
        riderId: rider.id,
        source,
        pending,
        current: () => stores.offers.fetchPendingForRider(rider.id),
        read: (offerId) => stores.offers.fetch(offerId),
      });
    },
    resolve: (payload: OfferEvent) => payload,
  },
};
