import { servicesOf } from '../context.ts';
import { StreamRefusal, type OrderStreamPayload } from '../live/order-stream.ts';
import type { MerchantOrderEvent } from '../live/merchant-stream.ts';
import type { SubscriptionResolvers } from '../__generated__/resolvers-types.ts';

/**
 * Subscriptions are authorized when they start (a refusal is thrown from `subscribe`, so no event
 * is sent) and again per event by their streams. Each event is executed with a fresh context, so
 * the Order fields' rules run again too. `resolve` receives each payload of the stream.
 */
export const Subscription: SubscriptionResolvers = {
  orderStatusChanged: {
    subscribe: (_parent, { orderId }, context) =>
      servicesOf(context).feeds.orderStatusChanged(orderId),
    resolve: (payload: OrderStreamPayload) => {
      // The subscriber lost access: this error is the stream's last message.
      if (payload instanceof StreamRefusal) throw payload.error;
      return payload;
    },
  },
  merchantOrderEvents: {
    subscribe: (_parent, { merchantId }, context) =>
      servicesOf(context).feeds.merchantOrderEvents(merchantId),
    resolve: (payload: MerchantOrderEvent) => payload,
  },
};
