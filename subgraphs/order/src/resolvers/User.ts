import type { UserResolvers } from '../__generated__/resolvers-types.ts';

/** The user subgraph owns users; this subgraph only adds their orders, so a reference is enough. */
export const User: UserResolvers = {
  __resolveReference: (reference) => reference,
  orders: (user, { first, after, status }, { stores }) =>
    stores.orders.page({ customerId: user.id, status }, { first, after }),
};
