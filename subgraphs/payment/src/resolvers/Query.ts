import type { QueryResolvers } from '../__generated__/resolvers-types.ts';
import { canViewPayment } from '../permissions.ts';

export const Query: QueryResolvers = {
  // The contract answers null both for unknown ids and for payments the caller may not see, so
  // a caller cannot probe which payment ids exist.
  payment: async (_parent, { id }, { viewer, stores }) => {
    const payment = await stores.payments.load(id);
    return payment && canViewPayment(viewer, payment) ? payment : null;
  },
};
