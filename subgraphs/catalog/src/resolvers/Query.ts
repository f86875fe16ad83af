import type { QueryResolvers } from '../__generated__/resolvers-types.ts';

export const Query: QueryResolvers = {
  merchant: (_parent, { id }, { stores }) => stores.merchants.load(id),
  merchants: (_parent, { near, ...args }, { stores, now }) =>
    near ? stores.merchants.listNear({ ...args, near, now }) : stores.merchants.list(args),
  // Hidden dishes and set meals answer null, as if they did not exist (see visibility.ts).
  dish: (_parent, { id }, { stores }) => stores.dishes.loadVisible(id),
  searchDishes: (_parent, { keyword, ...args }, { stores }) => stores.dishes.search(keyword, args),
  setMeal: (_parent, { id }, { stores }) => stores.setMeals.loadVisible(id),
};
