import type { OrderConnectionResolvers } from '../__generated__/resolvers-types.ts';

export const OrderConnection: OrderConnectionResolvers = {
  edges: (page) => page.edges,
  pageInfo: (page) => page.pageInfo,
  totalCount: (page) => page.countAll(),
};
