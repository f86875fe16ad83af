import { toMoney } from '@sky/contracts';
import type { CartResolvers } from '../__generated__/resolvers-types.ts';
import { servicesOf } from '../context.ts';

export const Cart: CartResolvers = {
  __resolveReference: (reference, { stores }) => stores.carts.load(reference.id),
  customer: (cart) => ({ id: cart.customerId }),
  merchant: (cart) => ({ id: cart.merchantId }),
  items: (cart, _args, { stores }) => stores.carts.items(cart.id),
  itemCount: async (cart, _args, { stores }) =>
    (await stores.carts.items(cart.id)).reduce((sum, item) => sum + item.quantity, 0),
  subtotal: async (cart, _args, { stores }) =>
    toMoney(
      (await stores.carts.items(cart.id)).reduce(
        (sum, item) => sum + item.unitPriceAmount * item.quantity,
        0,
      ),
      cart.currency,
    ),
  checkoutPreview: (cart, { addressId }, context) =>
    servicesOf(context).placement.preview(cart.merchantId, addressId),
};
