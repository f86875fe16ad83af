import { toMoney } from '@sky/contracts';
import type { OrderItemResolvers } from '../__generated__/resolvers-types.ts';

/** The currency of an item is its order's; the order is already in the request's loader. */
export const OrderItem: OrderItemResolvers = {
  dish: (item) => (item.dishId ? { id: item.dishId } : null),
  setMeal: (item) => (item.setMealId ? { id: item.setMealId } : null),
  unitPrice: async (item, _args, { stores }) =>
    toMoney(item.unitPriceAmount, (await stores.orders.load(item.orderId))!.currency),
  lineTotal: async (item, _args, { stores }) =>
    toMoney(item.lineTotalAmount, (await stores.orders.load(item.orderId))!.currency),
};
