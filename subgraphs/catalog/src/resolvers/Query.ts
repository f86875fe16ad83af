import { notFound } from '@sky/errors';
import type { QueryResolvers } from '../__generated__/resolvers-types.ts';

/**
 * Missing or hidden (docs section 6, "Missing or not yours"): a lookup by id of something that
 * does not exist or that the caller may not see is null with one NOT_FOUND error, the same for
 * both, so the answer never reveals whether a hidden dish exists.
 */
const found = async <T>(what: string, lookup: Promise<T | null>): Promise<T> =>
  (await lookup) ?? Promise.reject(notFound(what));

export const Query: QueryResolvers = {
  merchant: (_parent, { id }, { stores }) => found('Merchant', stores.merchants.load(id)),
  merchants: (_parent, { near, ...args }, { stores, now }) =>
    near ? stores.merchants.listNear({ ...args, near, now }) : stores.merchants.list(args),
  // Hidden dishes and set meals answer as if they did not exist (see visibility.ts).
  dish: (_parent, { id }, { stores }) => found('Dish', stores.dishes.loadVisible(id)),
  searchDishes: (_parent, { keyword, ...args }, { stores }) => stores.dishes.search(keyword, args),
  setMeal: (_parent, { id }, { stores }) => found('Set meal', stores.setMeals.loadVisible(id)),
};
