import { notFound } from '@sky/errors';
import type { QueryResolvers } from '../__generated__/resolvers-types.ts';
import { canViewPayment } from '../permissions.ts';

export const Query: QueryResolvers = {
  // Missing or not yours (docs section 6): null with the same NOT_FOUND for unknown ids and for
  // payments the caller may not see, so a caller cannot probe which payment ids exist.
  payment: async (_parent, { id }, { viewer, stores }) => {
    const payment = await stores.payments.load(id);
    if (payment && canViewPayment(viewer, payment)) return payment;
    throw notFound('Payment');
  },
};
