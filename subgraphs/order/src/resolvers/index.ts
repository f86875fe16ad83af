import { DateTimeScalar, SafeIntScalar } from '@sky/server-kit';
import { BusinessReport } from './BusinessReport.ts';
import { Workspace } from './Workspace.ts';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { Cart } from './Cart.ts';
import { CartItem } from './CartItem.ts';
import { Merchant } from './Merchant.ts';
import { Mutation } from './Mutation.ts';
import { Order } from './Order.ts';
import { OrderConnection } from './OrderConnection.ts';
import { OrderItem } from './OrderItem.ts';
import { OrderStatusChange } from './OrderStatusChange.ts';
import { Query } from './Query.ts';
import { RefundRequest } from './RefundRequest.ts';
import { RefundRequestItem } from './RefundRequestItem.ts';
import { Subscription } from './Subscription.ts';
import { User } from './User.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  SafeInt: SafeIntScalar,
  BusinessReport,
  Workspace,
  Query,
  Mutation,
  Subscription,
  Order,
  OrderItem,
  OrderConnection,
  OrderStatusChange,
  RefundRequest,
  RefundRequestItem,
  Cart,
  CartItem,
  User,
  Merchant,
};
