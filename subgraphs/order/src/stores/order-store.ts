import { isUuid, rowsById, rowsByParent } from '@sky/database';
import { pageSize, parseKeysetCursor, toConnection, type PageArgs } from '@sky/server-kit';
import type {
  IdempotencyKey,
  Order,
  OrderItem,
  OrderStatus,
  OrderStatusChange,
  PrismaClient,
} from '../__generated__/prisma/client.ts';
import {
  ORDER_LIST_ORDER_BY,
  orderCursorKey,
  orderPageWhere,
  type OrderListFilter,
} from './order-pages.ts';

/** Orders with their items and status history. */
/** A page of an order list, and how to count the whole list (`OrderConnection.totalCount`). */
export type OrderPage = Awaited<ReturnType<OrderStore['page']>>;

export class OrderStore {
  /** One SELECT (scalar columns only) for all orders asked for in one request, `_entities` included. */
  private readonly byId = rowsById((ids) =>
    this.prisma.order.findMany({ where: { id: { in: ids } } }),
  );

  /** The items of every order of a request in one query, in the order they were placed. */
  private readonly itemsByOrderId = rowsByParent(
    (orderIds) =>
      this.prisma.orderItem.findMany({
        where: { orderId: { in: orderIds } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      }),
    (row) => row.orderId,
  );

  /** The status histories of every order of a request in one query, oldest change first. */
  private readonly historyByOrderId = rowsByParent(
    (orderIds) =>
      this.prisma.orderStatusChange.findMany({
        where: { orderId: { in: orderIds } },
        orderBy: [{ orderId: 'asc' }, { version: 'asc' }],
      }),
    (row) => row.orderId,
  );

  constructor(private readonly prisma: PrismaClient) {}

  load(id: string): Promise<Order | null> {
    return this.byId.load(id);
  }

  /**
   * The order as it is now, past the request's cache: live subscriptions read it again on every
   * message, during a subscription that outlives any one request.
   */
  current(id: string): Promise<Order | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.prisma.order.findUnique({ where: { id } });
  }
  /** After a write in this request: later loads of the order see the written row. */
  remember(order: Order): Order {
    this.byId.clear(order.id).prime(order.id, order);
    this.historyByOrderId.clear(order.id);
    return order;
  }

  items(orderId: string): Promise<OrderItem[]> {
    return this.itemsByOrderId.load(orderId);
  }

  statusHistory(orderId: string): Promise<OrderStatusChange[]> {
    return this.historyByOrderId.load(orderId);
  }

  /** One page of a list of orders, newest first; `first + 1` rows tell whether more follow. */
  async page(filter: OrderListFilter, args: PageArgs) {
    const size = pageSize(args);
    const rows = await this.prisma.order.findMany({
      where: orderPageWhere(filter, parseKeysetCursor(args.after)),
      orderBy: ORDER_LIST_ORDER_BY,
      take: size + 1,
    });
    // Later loads of these orders in the same request (e.g. by their items) need no query.
    for (const row of rows) this.byId.prime(row.id, row);
    return {
      ...toConnection(rows, size, orderCursorKey),
      // Counted only when a client selects `totalCount` (the field's resolver calls it).
      countAll: () => this.countAll(filter),
    };
  }

  /**
   * How many orders a list holds in all: one COUNT over an index ((customerId | merchantId),
   * status, placedAt). Null for a list filtered by part of the order number or phone: that count
   * scans every order of the merchant, so it is not offered.
   */
  async countAll(filter: OrderListFilter): Promise<number | null> {
    if (filter.orderNumberContains || filter.phoneContains) return null;
    return this.prisma.order.count({ where: orderPageWhere(filter, null) });
  }

  /** How many of a merchant's orders are in each status (statuses without orders are absent). */
  async countByStatus(
    merchantId: string,
    placedFrom: Date | null,
    placedBefore: Date | null,
  ): Promise<Map<OrderStatus, number>> {
    const groups = await this.prisma.order.groupBy({
      by: ['status'],
      where: orderPageWhere({ merchantId, placedFrom, placedBefore }, null),
      _count: { _all: true },
    });
    return new Map(groups.map((group) => [group.status, group._count._all]));
  }

  /** A customer's placement under an idempotency key, or null. */
  findPlacementClaim(customerId: string, key: string): Promise<IdempotencyKey | null> {
    return this.prisma.idempotencyKey.findUnique({
      where: { customerId_key: { customerId, key } },
    });
  }
}
