import { toMoney } from '@sky/contracts';
import type { RefundRequestItemResolvers } from '../__generated__/resolvers-types.ts';

/** A line's order item and currency come from its request's order, already in the request's loaders. */
export const RefundRequestItem: RefundRequestItemResolvers = {
  orderItem: async (item, _args, { stores }) => {
    const request = (await stores.refundRequests.load(item.refundRequestId))!;
    const lines = await stores.orders.items(request.orderId);
    return lines.find((line) => line.id === item.orderItemId)!;
  },
  amount: async (item, _args, { stores }) => {
    const request = (await stores.refundRequests.load(item.refundRequestId))!;
    return toMoney(item.amount, request.currency);
  },
};
