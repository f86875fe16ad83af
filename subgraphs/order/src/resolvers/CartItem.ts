import { toMoney } from '@sky/contracts';
import type { CartItemResolvers } from '../__generated__/resolvers-types.ts';

/** The currency of a line is its cart's; the cart is already in the request's loader. */
export const CartItem: CartItemResolvers = {
  dish: (item) => (item.dishId ? { id: item.dishId } : null),
  setMeal: (item) => (item.setMealId ? { id: item.setMealId } : null),
  unitPrice: async (item, _args, { stores }) =>
    toMoney(item.unitPriceAmount, (await stores.carts.load(item.cartId))!.currency),
};
