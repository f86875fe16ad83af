import { toMoney } from '@sky/contracts';
import type { PaymentResolvers } from '../__generated__/resolvers-types.ts';

export const Payment: PaymentResolvers = {
  __resolveReference: (reference, { stores }) => stores.payments.load(reference.id),
  order: (payment) => ({ id: payment.orderId }),
  customer: (payment) => ({ id: payment.customerId }),
  merchant: (payment) => ({ id: payment.merchantId }),
  amount: (payment) => toMoney(payment.amount, payment.currency),
  refunds: (payment, _args, { stores }) => stores.refunds.listForPayment(payment.id),
};
