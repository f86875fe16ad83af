import { servicesOf } from '../context.ts';
import type { MutationResolvers } from '../__generated__/resolvers-types.ts';

/** Thin: every mutation is one call of the caller's domain services. */
export const Mutation: MutationResolvers = {
  addToCart: (_parent, { input }, context) => servicesOf(context).carts.add(input),
  decrementCartItem: (_parent, { cartItemId }, context) =>
    servicesOf(context).carts.decrement(cartItemId),
  removeCartItem: (_parent, { cartItemId }, context) =>
    servicesOf(context).carts.remove(cartItemId),
  clearCart: (_parent, { merchantId }, context) => servicesOf(context).carts.clear(merchantId),
  placeOrder: (_parent, { input }, context) => servicesOf(context).placement.place(input),
  cancelOrder: (_parent, { id, reason }, context) =>
    servicesOf(context).actions.perform('CUSTOMER_CANCEL', id, reason, false),
  acceptOrder: (_parent, { id, prepMinutes }, context) =>
    servicesOf(context).actions.accept(id, prepMinutes),
  markFoodReady: (_parent, { id }, context) => servicesOf(context).actions.markFoodReady(id),
  rejectOrder: (_parent, { id, reason }, context) =>
    servicesOf(context).actions.perform('REJECT', id, reason, true),
  merchantCancelOrder: (_parent, { id, reason }, context) =>
    servicesOf(context).actions.perform('MERCHANT_CANCEL', id, reason, true),
  adminCancelOrder: (_parent, { id, reason }, context) =>
    servicesOf(context).actions.perform('ADMIN_CANCEL', id, reason, true),
  remindOrder: (_parent, { id }, context) => servicesOf(context).actions.remind(id),
  reorder: (_parent, { id }, context) => servicesOf(context).carts.reorder(id),
  requestRefund: (_parent, { input }, context) => servicesOf(context).refunds.request(input),
  approveRefundRequest: (_parent, { id, note }, context) =>
    servicesOf(context).refunds.approve(id, note),
  rejectRefundRequest: (_parent, { id, reason }, context) =>
    servicesOf(context).refunds.reject(id, reason),
};
