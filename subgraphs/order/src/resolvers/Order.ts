import { toMoney } from '@sky/contracts';
import type { Order as OrderModel } from '../stores/index.ts';
import type { OrderResolvers } from '../__generated__/resolvers-types.ts';
import { canViewRefundRequest } from '../permissions.ts';

export const Order: OrderResolvers = {
  __resolveReference: (reference, { stores }) => stores.orders.load(reference.id),
  // Entities of other subgraphs: federation resolves them from their ids.
  customer: (order) => ({ id: order.customerId }),
  merchant: (order) => ({ id: order.merchantId }),
  items: (order, _args, { stores }) => stores.orders.items(order.id),
  itemsTotal: (order) => toMoney(order.itemsTotalAmount, order.currency),
  packingFee: (order) => toMoney(order.packingFeeAmount, order.currency),
  deliveryFee: (order) => toMoney(order.deliveryFeeAmount, order.currency),
  total: (order) => toMoney(order.totalAmount, order.currency),
  address: (order) => ({
    contactName: order.addressContactName,
    phone: order.addressPhone,
    detail: order.addressDetail,
    label: order.addressLabel,
    location: { latitude: order.addressLatitude, longitude: order.addressLongitude },
  }),
  pickupLocation: (order) =>
    order.pickupLatitude === null || order.pickupLongitude === null
      ? null
      : { latitude: order.pickupLatitude, longitude: order.pickupLongitude },
  deliveryWaiting: (order) => isWaitingForRider(order),
  deliveryWaitingSince: (order) => (isWaitingForRider(order) ? order.deliveryWaitingSince : null),
  statusHistory: (order, _args, { stores }) => stores.orders.statusHistory(order.id),
  paymentFailure: (order) =>
    order.paymentFailureOutcome && order.paymentFailedAt
      ? {
          outcome: order.paymentFailureOutcome,
          reason: order.paymentFailureReason ?? '',
          at: order.paymentFailedAt,
        }
      : null,
  refundedAmount: (order) => toMoney(order.refundedAmount, order.currency),
  // The rider who delivered the order sees it, but not what the customer and merchant settle.
  refundRequests: (order, _args, { stores, viewer }) =>
    canViewRefundRequest(viewer, order) ? stores.refundRequests.listForOrder(order.id) : [],
};

/** Dispatch waits for a rider only while the order is accepted and nobody is assigned. */
const isWaitingForRider = (order: OrderModel) =>
  order.status === 'CONFIRMED' && order.riderId === null && order.deliveryWaitingSince !== null;
