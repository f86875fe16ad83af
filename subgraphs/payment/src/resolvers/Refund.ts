import { toMoney } from '@sky/contracts';
import type { RefundResolvers } from '../__generated__/resolvers-types.ts';

export const Refund: RefundResolvers = {
  __resolveReference: (reference, { stores }) => stores.refunds.load(reference.id),
  // A refund always has its payment: the foreign key restricts deleting a refunded payment.
  payment: async (refund, _args, { stores }) => (await stores.payments.load(refund.paymentId))!,
  amount: (refund) => toMoney(refund.amount, refund.currency),
};
