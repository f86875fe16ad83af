import type { CategoryResolvers } from '../__generated__/resolvers-types.ts';

export const Category: CategoryResolvers = {
  // A disabled category resolves to null for callers who may not see it.
  __resolveReference: (reference, { stores }) => stores.categories.loadVisible(reference.id),
  merchant: async (category, _args, { stores }) =>
    (await stores.merchants.load(category.merchantId))!,
};
