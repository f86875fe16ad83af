import { Prisma, type Delivery, type PrismaClient } from '../__generated__/prisma/client.ts';
import {
  compareKeysets,
  isUuid,
  pageLoader,
  type PageRequest,
  rowsById,
  rowsByKey,
} from '@sky/database';

/** Newest first: the reverse of ascending (createdAt, id). */
const newestFirst = (a: Delivery, b: Delivery) =>
  compareKeysets({ at: b.createdAt, id: b.id }, { at: a.createdAt, id: a.id });

export class DeliveryStore {
  /** One SELECT for all deliveries asked for in one request (entity resolution included). */
  private readonly byId = rowsById((ids) =>
    this.prisma.delivery.findMany({ where: { id: { in: ids } } }),
  );

  /** `Order.delivery`: one delivery per order (`orderId` is unique). */
  private readonly byOrderId = rowsByKey<Delivery>(
    async (orderIds) =>
      this.primeById(await this.prisma.delivery.findMany({ where: { orderId: { in: orderIds } } })),
    (delivery) => delivery.orderId,
  );

  /** `Rider.activeDelivery`: `activeRiderId` is set only while a rider carries the delivery out. */
  private readonly byActiveRiderId = rowsByKey<Delivery>(
    async (riderIds) =>
      this.primeById(
        await this.prisma.delivery.findMany({ where: { activeRiderId: { in: riderIds } } }),
      ),
    (delivery) => delivery.activeRiderId,
  );

  /**
   * `Rider.deliveries`, newest first, for every rider of the batch in one statement: a LATERAL
   * subquery takes each rider's first `take` rows from the (riderId, createdAt) index.
   */
  private readonly pagesByRider = pageLoader<Delivery>(
    ({ parentIds, take, after }) => this.prisma.$queryRaw<Delivery[]>`
      SELECT page.* FROM unnest(${parentIds}::uuid[]) AS parent(id)
      CROSS JOIN LATERAL (
        SELECT * FROM deliveries
        WHERE "riderId" = parent.id
        ${after ? Prisma.sql`AND ("createdAt", id) < (${after.at}::timestamptz, ${after.id}::uuid)` : Prisma.empty}
        ORDER BY "createdAt" DESC, id DESC
        LIMIT ${take}
      ) AS page`,
    (delivery) => delivery.riderId,
    newestFirst,
  );

  constructor(private readonly prisma: PrismaClient) {}

  /** Rows found by another key are cached by id too, so `load(id)` does not fetch them again. */
  private primeById(rows: Delivery[]): Delivery[] {
    for (const row of rows) this.byId.prime(row.id, row);
    return rows;
  }

  load(id: string): Promise<Delivery | null> {
    return this.byId.load(id);
  }

  loadByOrderId(orderId: string): Promise<Delivery | null> {
    return this.byOrderId.load(orderId);
  }

  /** The delivery the rider is carrying out now (ASSIGNED, ARRIVED_AT_MERCHANT, PICKED_UP). */
  loadActiveForRider(riderId: string): Promise<Delivery | null> {
    return this.byActiveRiderId.load(riderId);
  }

  /** One page of a rider's deliveries, newest first (`take` = page size + 1). */
  pageForRider(request: PageRequest): Promise<Delivery[]> {
    return this.pagesByRider.load(request);
  }

  /**
   * The order's delivery as it is now, bypassing the per-request cache: a subscription reads it
   * again for every live message.
   */
  fetchByOrderId(orderId: string): Promise<Delivery | null> {
    return isUuid(orderId)
      ? this.prisma.delivery.findUnique({ where: { orderId } })
      : Promise.resolve(null);
  }
}
