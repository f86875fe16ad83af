import { Prisma, type Rider } from '../__generated__/prisma/client.ts';
import type { LatLng } from '@sky/geo';
import { distanceSql } from './geo-sql.ts';

type Tx = Prisma.TransactionClient;

/**
 * Rider writes inside a transaction. Every status change is a conditional update on the status
 * it expects, so two concurrent changes cannot both succeed. Timestamps that rules compare
 * (`lastLocationAt` for the rate limit) come from the database clock, the one clock all
 * instances share.
 */
export class RiderWrites {
  constructor(private readonly tx: Tx) {}

  findByUserId(userId: string): Promise<Rider | null> {
    return this.tx.rider.findUnique({ where: { userId } });
  }

  find(id: string): Promise<Rider | null> {
    return this.tx.rider.findUnique({ where: { id } });
  }

  /** Creates the user's rider profile (OFFLINE) unless it exists; safe under concurrency. */
  async ensureProfile(userId: string): Promise<void> {
    await this.tx.rider.createMany({ data: [{ userId, status: 'OFFLINE' }], skipDuplicates: true });
  }

  /** OFFLINE → AVAILABLE at `location`, idle from now; null when the rider was not OFFLINE. */
  async goOnline(userId: string, location: LatLng): Promise<Rider | null> {
    const rows = await this.tx.$queryRaw<Rider[]>`
      UPDATE riders SET status = 'AVAILABLE', "idleSince" = now(),
        latitude = ${location.latitude}::float8, longitude = ${location.longitude}::float8,
        "lastLocationAt" = now(), "updatedAt" = now()
      WHERE "userId" = ${userId}::uuid AND status = 'OFFLINE'
      RETURNING *`;
    return rows[0] ?? null;
  }

  async setVehicle(userId: string, vehicle: string | null): Promise<void> {
    await this.tx.rider.update({ where: { userId }, data: { vehicle } });
  }

  /** AVAILABLE → OFFLINE; false when the rider was not AVAILABLE. */
  async goOffline(riderId: string): Promise<boolean> {
    const { count } = await this.tx.rider.updateMany({
      where: { id: riderId, status: 'AVAILABLE' },
      data: { status: 'OFFLINE', idleSince: null },
    });
    return count === 1;
  }

  /** AVAILABLE → BUSY (a delivery accepted); false when the rider was not AVAILABLE. */
  async takeDelivery(riderId: string): Promise<boolean> {
    const { count } = await this.tx.rider.updateMany({
      where: { id: riderId, status: 'AVAILABLE' },
      data: { status: 'BUSY', idleSince: null },
    });
    return count === 1;
  }

  /** BUSY → AVAILABLE, idle from now (delivered, or the delivery was cancelled). */
  async release(riderId: string): Promise<Rider | null> {
    const rows = await this.tx.$queryRaw<Rider[]>`
      UPDATE riders SET status = 'AVAILABLE', "idleSince" = now(), "updatedAt" = now()
      WHERE id = ${riderId}::uuid AND status = 'BUSY'
      RETURNING *`;
    return rows[0] ?? null;
  }

  /**
   * Stores a reported position, unless the previous one is less than `minIntervalMs` old: the
   * rate limit is this one conditional update, so it holds however many instances serve the
   * rider. Null when refused (too soon, or the rider is OFFLINE).
   */
  async recordLocation(
    riderId: string,
    location: LatLng,
    minIntervalMs: number,
  ): Promise<Rider | null> {
    const spaced =
      minIntervalMs === 0
        ? Prisma.empty
        : Prisma.sql`AND ("lastLocationAt" IS NULL
            OR "lastLocationAt" <= now() - make_interval(secs => ${minIntervalMs / 1000}::float8))`;
    const rows = await this.tx.$queryRaw<Rider[]>`
      UPDATE riders SET latitude = ${location.latitude}::float8,
        longitude = ${location.longitude}::float8, "lastLocationAt" = now(), "updatedAt" = now()
      WHERE id = ${riderId}::uuid AND status <> 'OFFLINE' ${spaced}
      RETURNING *`;
    return rows[0] ?? null;
  }

  /** Whole seconds until the rider may report a position again (at least 1). */
  async secondsUntilNextLocation(riderId: string, minIntervalMs: number): Promise<number> {
    const rows = await this.tx.$queryRaw<{ seconds: number | null }[]>`
      SELECT ceil(extract(epoch FROM ("lastLocationAt"
        + make_interval(secs => ${minIntervalMs / 1000}::float8) - now())))::int AS seconds
      FROM riders WHERE id = ${riderId}::uuid`;
    return Math.max(1, rows[0]?.seconds ?? 1);
  }

  /**
   * The nearest AVAILABLE rider within `radiusMeters` of `pickup` (great-circle), the one idle
   * longest on a tie, who has no open offer and has not been offered this delivery before;
   * locked (FOR UPDATE) so a concurrent dispatch waits and then sees the offer made here.
   * `excluding` skips riders this dispatch already tried.
   */
  async lockNearestCandidate(input: {
    deliveryId: string;
    pickup: LatLng;
    radiusMeters: number;
    excluding: string[];
  }): Promise<(Rider & { distanceMeters: number }) | null> {
    const distance = distanceSql(Prisma.sql`r.latitude`, Prisma.sql`r.longitude`, input.pickup);
    const rows = await this.tx.$queryRaw<(Rider & { distanceMeters: number })[]>`
      SELECT r.*, ${distance} AS "distanceMeters" FROM riders r
      WHERE r.status = 'AVAILABLE' AND r.latitude IS NOT NULL AND r.longitude IS NOT NULL
        AND NOT (r.id = ANY(${input.excluding}::uuid[]))
        AND NOT EXISTS (SELECT 1 FROM delivery_offers o WHERE o."pendingRiderId" = r.id)
        AND NOT EXISTS (SELECT 1 FROM delivery_offers o
                        WHERE o."deliveryId" = ${input.deliveryId}::uuid AND o."riderId" = r.id)
        AND ${distance} <= ${input.radiusMeters}::float8
      ORDER BY "distanceMeters", r."idleSince" ASC NULLS LAST, r.id
      LIMIT 1
      FOR UPDATE OF r`;
    return rows[0] ?? null;
  }
}
