import type { OrderStatusChangeResolvers } from '../__generated__/resolvers-types.ts';

export const OrderStatusChange: OrderStatusChangeResolvers = {
  from: (change) => change.fromStatus,
  to: (change) => change.toStatus,
};
