import { keysetAfter, keysetOrder, type Keyset } from '@sky/database';
import { keysetCursorKey } from '@sky/server-kit';
import type { OrderStatus, Prisma } from '../__generated__/prisma/client.ts';

/**
 * Order lists are newest first by (placedAt desc, id desc): the id breaks ties between orders
 * placed in the same millisecond, so the order is total and keyset pages never skip or repeat.
 * A cursor holds the keyset of the last order of a page (the API's one keyset cursor encoding).
 */

/** Which orders a list holds (everything but the page position). */
export interface OrderListFilter {
  customerId?: string;
  merchantId?: string;
  status?: OrderStatus | null;
  /** Inclusive lower bound on placedAt. */
  placedFrom?: Date | null;
  /** Exclusive upper bound on placedAt. */
  placedBefore?: Date | null;
  /** Part of the order number. */
  orderNumberContains?: string | null;
  /** Part of the delivery contact's phone number. */
  phoneContains?: string | null;
}

export const ORDER_LIST_ORDER_BY = [...keysetOrder('placedAt', 'desc')];

export const orderCursorKey = (order: { placedAt: Date; id: string }) =>
  keysetCursorKey(order.placedAt, order.id);

/** The WHERE of one page: the list's filter, and only orders after the cursor in list order. */
export function orderPageWhere(
  filter: OrderListFilter,
  after: Keyset | null,
): Prisma.OrderWhereInput {
  const conditions: Prisma.OrderWhereInput[] = [];
  if (filter.customerId !== undefined) conditions.push({ customerId: filter.customerId });
  if (filter.merchantId !== undefined) conditions.push({ merchantId: filter.merchantId });
  if (filter.status) conditions.push({ status: filter.status });
  if (filter.placedFrom) conditions.push({ placedAt: { gte: filter.placedFrom } });
  if (filter.placedBefore) conditions.push({ placedAt: { lt: filter.placedBefore } });
  if (filter.orderNumberContains) {
    conditions.push({ orderNumber: { contains: filter.orderNumberContains } });
  }
  if (filter.phoneContains) conditions.push({ addressPhone: { contains: filter.phoneContains } });
  if (after) conditions.push(keysetAfter('placedAt', after, 'desc'));
  return { AND: conditions };
}
