import { canSeeDelivery } from '../permissions.ts';
import type { OrderResolvers } from '../__generated__/resolvers-types.ts';

/** The order subgraph owns orders; this subgraph only adds their delivery. */
export const Order: OrderResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  // The contract says null (not an error) for anyone who may not see the delivery.
  delivery: async (order, _args, { viewer, stores }) => {
    const delivery = await stores.deliveries.loadByOrderId(order.id);
    return delivery && viewer && (await canSeeDelivery(delivery, viewer, stores)) ? delivery : null;
  },
};
