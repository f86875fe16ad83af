import { toMoney } from '@sky/contracts';
import type { RefundRequestResolvers } from '../__generated__/resolvers-types.ts';

export const RefundRequest: RefundRequestResolvers = {
  __resolveReference: (reference, { stores }) => stores.refundRequests.load(reference.id),
  order: async (request, _args, { stores }) => (await stores.orders.load(request.orderId))!,
  amount: (request) => toMoney(request.amount, request.currency),
  items: (request, _args, { stores }) => stores.refundRequests.items(request.id),
};
