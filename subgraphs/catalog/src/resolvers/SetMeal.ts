import { toMoney } from '@sky/contracts';
import type { SetMealResolvers } from '../__generated__/resolvers-types.ts';

export const SetMeal: SetMealResolvers = {
  // Off-sale set meals (or set meals of a disabled category) resolve to null for callers who may not see them.
  __resolveReference: (reference, { stores }) => stores.setMeals.loadVisible(reference.id),
  merchant: async (setMeal, _args, { stores }) =>
    (await stores.merchants.load(setMeal.merchantId))!,
  category: async (setMeal, _args, { stores }) =>
    (await stores.categories.load(setMeal.categoryId))!,
  imageUrl: (setMeal, _args, { images }) => images.url(setMeal.imageKey, setMeal.imageUrl),
  thumbnailUrl: (setMeal, _args, { images }) => images.url(setMeal.thumbnailKey),
  price: async (setMeal, _args, { stores }) =>
    toMoney(setMeal.priceAmount, (await stores.merchants.load(setMeal.merchantId))!.currency),
  // The set meal's content is part of what it sells, so its dishes are shown as they are.
  items: async (setMeal, _args, { stores }) =>
    Promise.all(
      (await stores.setMeals.items(setMeal.id)).map(async (item) => ({
        dish: (await stores.dishes.load(item.dishId))!,
        copies: item.copies,
      })),
    ),
};
