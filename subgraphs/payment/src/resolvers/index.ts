import { DateTimeScalar, SafeIntScalar } from '@sky/server-kit';
import { BusinessReport } from './BusinessReport.ts';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { Mutation } from './Mutation.ts';
import { Order } from './Order.ts';
import { Payment } from './Payment.ts';
import { Query } from './Query.ts';
import { Refund } from './Refund.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  SafeInt: SafeIntScalar,
  BusinessReport,
  Query,
  Mutation,
  Order,
  Payment,
  Refund,
};
