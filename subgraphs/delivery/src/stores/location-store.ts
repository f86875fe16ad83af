import { compareKeysets, pageLoader, type PageRequest } from '@sky/database';
import { Prisma, type LocationPoint, type PrismaClient } from '../__generated__/prisma/client.ts';

const oldestFirst = (a: LocationPoint, b: LocationPoint) =>
  compareKeysets({ at: a.recordedAt, id: a.id }, { at: b.recordedAt, id: b.id });

export class LocationPointStore {
  /**
   * `Delivery.track`, oldest first, for every delivery of the batch in one statement (a LATERAL
   * subquery over the (deliveryId, recordedAt) index).
   */
  private readonly pagesByDelivery = pageLoader<LocationPoint>(
    ({ parentIds, take, after }) => this.prisma.$queryRaw<LocationPoint[]>`
      SELECT page.* FROM unnest(${parentIds}::uuid[]) AS parent(id)
      CROSS JOIN LATERAL (
        SELECT * FROM location_points
        WHERE "deliveryId" = parent.id
        ${after ? Prisma.sql`AND ("recordedAt", id) > (${after.at}::timestamptz, ${after.id}::uuid)` : Prisma.empty}
        ORDER BY "recordedAt" ASC, id ASC
        LIMIT ${take}
      ) AS page`,
    (point) => point.deliveryId,
    oldestFirst,
  );

  constructor(private readonly prisma: PrismaClient) {}

  /** One page of a delivery's track, oldest first (`take` = page size + 1). */
  trackPage(request: PageRequest): Promise<LocationPoint[]> {
    return this.pagesByDelivery.load(request);
  }
}
