import { toMoney } from '@sky/contracts';
import type { DishResolvers } from '../__generated__/resolvers-types.ts';

export const Dish: DishResolvers = {
  // Off-sale dishes (or dishes of a disabled category) resolve to null for callers who may not see them.
  __resolveReference: (reference, { stores }) => stores.dishes.loadVisible(reference.id),
  merchant: async (dish, _args, { stores }) => (await stores.merchants.load(dish.merchantId))!,
  category: async (dish, _args, { stores }) => (await stores.categories.load(dish.categoryId))!,
  imageUrl: (dish, _args, { images }) => images.url(dish.imageKey, dish.imageUrl),
  thumbnailUrl: (dish, _args, { images }) => images.url(dish.thumbnailKey),
  price: async (dish, _args, { stores }) =>
    toMoney(dish.priceAmount, (await stores.merchants.load(dish.merchantId))!.currency),
  stockLeftToday: async (dish, _args, { stores, now }) => {
    if (dish.dailyStock === null) return null;
    const merchant = (await stores.merchants.load(dish.merchantId))!;
    return stores.dishes.stockLeft(dish, merchant.timezone, now);
  },
  flavors: async (dish, _args, { stores }) =>
    (await stores.dishes.flavors(dish.id)).map(({ name, options }) => ({ name, options })),
};
