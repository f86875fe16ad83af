import type { OrderResolvers } from '../__generated__/resolvers-types.ts';

export const Order: OrderResolvers = {
  // The order subgraph owns orders; here an order is only its id, to hang `payment` on.
  __resolveReference: (reference) => ({ id: reference.id }),
  payment: (order, _args, { stores }) => stores.payments.latestForOrder(order.id),
};
