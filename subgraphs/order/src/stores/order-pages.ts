import { isUuid } from '@sky/database';
import { badUserInput } from '@sky/errors';
import { decodeCursor } from '@sky/server-kit';
import type { OrderStatus, Prisma } from '../__generated__/prisma/client.ts';

/**
 * Order lists are newest first by (placedAt desc, id desc): the id breaks ties between orders
 * placed in the same millisecond, so the order is total and keyset pages never skip or repeat.
 * A cursor holds the keyset values of the last order of a page: [placedAt ISO string, id].
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

export interface OrderKeyset {
  placedAt: Date;
  id: string;
}

export const ORDER_LIST_ORDER_BY = [
  { placedAt: 'desc' },
  { id: 'desc' },
] as const satisfies Prisma.OrderOrderByWithRelationInput[];

export const orderCursorKey = (order: OrderKeyset): [string, string] => [
  order.placedAt.toISOString(),
  order.id,
];

/** Reads an `after` cursor of an order list; null when there is none. */
export function parseOrderCursor(after: string | null | undefined): OrderKeyset | null {
  const key = decodeCursor(after);
  if (key === null) return null;
  const [placedAt, id] = key;
  if (key.length === 2 && typeof placedAt === 'string' && typeof id === 'string' && isUuid(id)) {
    const date = new Date(placedAt);
    if (!Number.isNaN(date.getTime())) return { placedAt: date, id };
  }
  throw badUserInput('"after" is not a cursor of this list.', 'after');
}

/** The WHERE of one page: the list's filter, and only orders after the cursor in list order. */
export function orderPageWhere(
  filter: OrderListFilter,
  after: OrderKeyset | null,
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
  if (after) {
    conditions.push({
      OR: [
        { placedAt: { lt: after.placedAt } },
        { placedAt: after.placedAt, id: { lt: after.id } },
      ],
    });
  }
  return { AND: conditions };
}
