import type { MerchantResolvers } from '../__generated__/resolvers-types.ts';

/** The catalog subgraph owns merchants; this subgraph only adds the orders they received. */
export const Merchant: MerchantResolvers = {
  __resolveReference: (reference) => reference,
  orders: (merchant, { first, after, status, from, to }, { stores }) =>
    stores.orders.page(
      { merchantId: merchant.id, status, placedFrom: from, placedBefore: to },
      { first, after },
    ),
};
