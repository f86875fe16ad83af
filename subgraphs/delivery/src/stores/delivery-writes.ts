import { isUuid } from '@sky/database';
import { Prisma, type Delivery } from '../__generated__/prisma/client.ts';
import type { LatLng } from '@sky/geo';
import type { CourierAnnouncements } from '../live/announce.ts';
import { distanceSql } from './geo-sql.ts';

type Tx = Prisma.TransactionClient;

export interface NewDelivery {
  orderId: string;
  merchantId: string;
  customerId: string;
  pickup: LatLng;
  dropoff: LatLng;
  distanceMeters: number;
  /** When the merchant expects the food ready; null when unknown (offer at once). */
  expectedReadyAt: Date | null;
  createdAt: Date;
}

/**
 * Delivery writes inside a transaction. A change locks the row first (`lock*`, SELECT ... FOR
 * UPDATE), decides from what it read, then writes; every write raises the version by one and is
 * announced on the live channel once the transaction commits. Lock order across this subgraph: delivery first,
 * then rider, so two transactions never wait on each other in a circle.
 */
export class DeliveryWrites {
  constructor(
    private readonly tx: Tx,
    private readonly announcements: CourierAnnouncements,
  ) {}

  async lock(id: string): Promise<Delivery | null> {
    if (!isUuid(id)) return null;
    const rows = await this.tx.$queryRaw<Delivery[]>`
      SELECT * FROM deliveries WHERE id = ${id}::uuid FOR UPDATE`;
    return rows[0] ?? null;
  }

  async lockByOrderId(orderId: string): Promise<Delivery | null> {
    if (!isUuid(orderId)) return null;
    const rows = await this.tx.$queryRaw<Delivery[]>`
      SELECT * FROM deliveries WHERE "orderId" = ${orderId}::uuid FOR UPDATE`;
    return rows[0] ?? null;
  }

  /** The delivery the rider carries out now (`activeRiderId` is unique), unlocked. */
  findActiveForRider(riderId: string): Promise<Delivery | null> {
    return this.tx.delivery.findUnique({ where: { activeRiderId: riderId } });
  }

  /**
   * Creates the order's delivery (WAITING_FOR_RIDER, version 1), or finds the one that exists:
   * `orderId` is unique, so a second order.confirmed for the same order creates nothing.
   */
  async createForOrder(input: NewDelivery): Promise<{ delivery: Delivery; created: boolean }> {
    const existing = await this.lockByOrderId(input.orderId);
    if (existing) return { delivery: existing, created: false };
    const delivery = await this.tx.delivery.create({
      data: {
        orderId: input.orderId,
        merchantId: input.merchantId,
        customerId: input.customerId,
        status: 'WAITING_FOR_RIDER',
        pickupLatitude: input.pickup.latitude,
        pickupLongitude: input.pickup.longitude,
        dropoffLatitude: input.dropoff.latitude,
        dropoffLongitude: input.dropoff.longitude,
        distanceMeters: input.distanceMeters,
        expectedReadyAt: input.expectedReadyAt,
        createdAt: input.createdAt,
      },
    });
    this.announcements.deliveryChanged(delivery);
    return { delivery, created: true };
  }

  /**
   * Writes `data` and raises the version. The caller holds the row lock (`lock`), so the version
   * it read is still current; the condition on it only guards against a caller that forgot.
   */
  async update(
    delivery: Delivery,
    data: Omit<Prisma.DeliveryUncheckedUpdateInput, 'version' | 'id'>,
  ): Promise<Delivery> {
    const updated = await this.tx.delivery.update({
      where: { id: delivery.id, version: delivery.version },
      data: { ...data, version: { increment: 1 } },
    });
    this.announcements.deliveryChanged(updated);
    return updated;
  }

  /** One point of the delivery's track. */
  async appendLocationPoint(point: {
    deliveryId: string;
    riderId: string;
    location: LatLng;
    recordedAt: Date;
  }): Promise<void> {
    await this.tx.locationPoint.create({
      data: {
        deliveryId: point.deliveryId,
        riderId: point.riderId,
        latitude: point.location.latitude,
        longitude: point.location.longitude,
        recordedAt: point.recordedAt,
      },
    });
  }

  /**
   * Deliveries still waiting for a rider whose merchant is within `radiusMeters` of `point`,
   * oldest first: the ones a rider who just became available could take.
   */
  waitingNear(point: LatLng, radiusMeters: number, limit: number): Promise<Delivery[]> {
    const distance = distanceSql(
      Prisma.sql`"pickupLatitude"`,
      Prisma.sql`"pickupLongitude"`,
      point,
    );
    return this.tx.$queryRaw<Delivery[]>`
      SELECT * FROM deliveries
      WHERE status = 'WAITING_FOR_RIDER' AND ${distance} <= ${radiusMeters}::float8
      ORDER BY "createdAt", id
      LIMIT ${limit}`;
  }

  /** Remembers that the order is cancelled (once); see `OrderCancellation`. */
  async rememberCancelledOrder(orderId: string, at: Date): Promise<void> {
    await this.tx.orderCancellation.createMany({
      data: [{ orderId, cancelledAt: at }],
      skipDuplicates: true,
    });
  }

  async isOrderCancelled(orderId: string): Promise<boolean> {
    return (await this.tx.orderCancellation.count({ where: { orderId } })) > 0;
  }

  /** The delivery as it is now, without a lock (live notifications read the current version). */
  find(id: string): Promise<Delivery | null> {
    return this.tx.delivery.findUnique({ where: { id } });
  }
}
