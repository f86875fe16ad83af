import { notFound } from '@sky/errors';
import { canViewOrder } from '../permissions.ts';
import { servicesOf } from '../context.ts';
import { reportKey, todayIn, checkTimeZone, PLATFORM_TIME_ZONE } from '@sky/server-kit';
import type { QueryResolvers } from '../__generated__/resolvers-types.ts';

/** Every field requires a signed-in caller; the shield refuses anonymous ones before these run. */
export const Query: QueryResolvers = {
  /**
   * Missing or not yours (docs section 6): null with the same NOT_FOUND error for an order the
   * caller may not see and for an id that does not exist, so the answer reveals nothing about
   * existence.
   */
  order: async (_parent, { id }, { viewer, stores }) => {
    const order = await stores.orders.load(id);
    if (order && canViewOrder(viewer, order)) return order;
    throw notFound('Order');
  },
  myOrders: (_parent, { first, after, status }, { viewer, stores }) =>
    stores.orders.page({ customerId: viewer!.userId, status }, { first, after }),
  myCart: (_parent, { merchantId }, { viewer, stores }) =>
    stores.carts.findForCustomer(viewer!.userId, merchantId),
  myCarts: (_parent, _args, { viewer, stores }) => stores.carts.listForCustomer(viewer!.userId),
  merchantOrders: (_parent, { merchantId, filter, first, after }, context) =>
    servicesOf(context).actions.merchantOrders(
      merchantId,
      {
        status: filter?.status,
        orderNumberContains: filter?.orderNumber?.trim() || null,
        phoneContains: filter?.phone?.trim() || null,
        placedFrom: filter?.from,
        placedBefore: filter?.to,
      },
      { first, after },
    ),
  merchantOrderCounts: (_parent, { merchantId, from, to }, context) =>
    servicesOf(context).actions.merchantOrderCounts(merchantId, from ?? null, to ?? null),
  /** The shield has checked the scope against the caller (`mayViewReportOf`); this parses the range. */
  businessReport: (_parent, { merchantId, from, to, timeZone }) =>
    reportKey(merchantId, from, to, timeZone ?? PLATFORM_TIME_ZONE),
  workspace: (_parent, { merchantId, timeZone }) => {
    const today = todayIn(checkTimeZone(timeZone ?? PLATFORM_TIME_ZONE));
    return reportKey(merchantId, today, today, timeZone ?? PLATFORM_TIME_ZONE);
  },
};
