import type { CartResolvers } from '../__generated__/resolvers-types.ts';
import { money } from '../money.ts';
import { merchantReference, userReference } from '../references.ts';

export const Cart: CartResolvers = {
  __resolveReference: (reference, { stores }) => stores.carts.load(reference.id),
  customer: (cart) => userReference(cart.customerId),
  merchant: (cart) => merchantReference(cart.merchantId),
  items: (cart, _args, { stores }) => stores.carts.items(cart.id),
  itemCount: async (cart, _args, { stores }) =>
    (await stores.carts.items(cart.id)).reduce((sum, item) => sum + item.quantity, 0),
  subtotal: async (cart, _args, { stores }) =>
    money(
      (await stores.carts.items(cart.id)).reduce(
        (sum, item) => sum + item.unitPriceAmount * item.quantity,
        0,
      ),
      cart.currency,
    ),
};
