import type { Prisma, PrismaClient } from '../__generated__/prisma/client.ts';
import { domainError, ErrorCode } from '@sky/errors';

/** Units of one dish an order needs (set meals already expanded into their dishes). */
export interface StockDemand {
  dishId: string;
  quantity: number;
}

export type ReserveOutcome = 'reserved' | 'already-reserved';

/**
 * Many orders start at once for a popular dish; each reservation holds the dish's stock row only
 * for a few statements, but the pool may make them queue for a connection first.
 */
const RESERVATION_TRANSACTION = { maxWait: 15_000, timeout: 20_000 };

/**
 * Daily stock reservations: stock is reserved atomically when an order is placed and released
 * when it is cancelled (`order.cancelled`, also for a placement that never created its order).
 * The database does the concurrency control: see each method.
 */
export class StockStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** The state of an order's reservation; null when there is none. */
  async reservationStatus(orderId: string): Promise<'RESERVED' | 'RELEASED' | null> {
    const row = await this.prisma.stockReservation.findUnique({
      where: { orderId },
      select: { status: true },
    });
    return row?.status ?? null;
  }

  /**
   * Takes `demand` from the dishes' stock of `businessDay` for `orderId`, all or nothing:
   * 1. the order's reservation row is inserted first; a second call for the same order finds it
   *    (waiting, if concurrent, until the first commits or rolls back) and takes nothing;
   * 2. the dishes are locked FOR SHARE (in id order) so their daily stock cannot change meanwhile,
   *    and must all be this merchant's;
   * 3. for each dish with a daily stock, in id order (no deadlocks between orders), one
   *    conditional UPDATE adds the quantity to the day's `reserved` only while it stays within the
   *    daily stock. Concurrent reservations queue on that row and PostgreSQL re-checks the
   *    condition against the row each one finally updates, so stock never goes below zero.
   *    A dish that cannot give enough refuses the whole order (SOLD_OUT, rolled back).
   */
  async reserve(input: {
    orderId: string;
    merchantId: string;
    /** The business day, `YYYY-MM-DD`, in the merchant's time zone. */
    businessDay: string;
    demand: readonly StockDemand[];
  }): Promise<ReserveOutcome> {
    const { orderId, merchantId, businessDay } = input;
    const demand = [...input.demand].sort((a, b) => (a.dishId < b.dishId ? -1 : 1));
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.stockReservation.createMany({
        data: [{ orderId, merchantId }],
        skipDuplicates: true,
      });
      if (count === 0) {
        const existing = await tx.stockReservation.findUniqueOrThrow({ where: { orderId } });
        if (existing.status === 'RELEASED') {
          throw domainError(
            ErrorCode.INVALID_STATE_TRANSITION,
            'The stock reservation of this order was already released (the order was cancelled).',
            { orderId },
          );
        }
        return 'already-reserved';
      }
      const dishIds = demand.map((line) => line.dishId);
      const dishes = await tx.$queryRaw<{ id: string; dailyStock: number | null }[]>`
        SELECT id::text AS id, "dailyStock" FROM dishes
        WHERE id = ANY(${dishIds}::uuid[]) AND "merchantId" = ${merchantId}::uuid
        ORDER BY id FOR SHARE`;
      const dailyStockOf = new Map(dishes.map((dish) => [dish.id, dish.dailyStock]));
      const missing = dishIds.find((id) => !dailyStockOf.has(id));
      if (missing) {
        throw domainError(ErrorCode.NOT_FOUND, 'Dish not found.', { dishId: missing });
      }
      const limited = demand.filter((line) => dailyStockOf.get(line.dishId) !== null);
      if (limited.length > 0) {
        await tx.dishDailyStock.createMany({
          data: limited.map(({ dishId }) => ({ dishId, businessDate: new Date(businessDay) })),
          skipDuplicates: true,
        });
      }
      for (const { dishId, quantity } of limited) {
        const taken = await tx.$executeRaw`
          UPDATE dish_daily_stocks
          SET reserved = reserved + ${quantity}, "updatedAt" = now()
          WHERE "dishId" = ${dishId}::uuid AND "businessDate" = ${businessDay}::date
            AND reserved + ${quantity} <= ${dailyStockOf.get(dishId)!}`;
        if (taken === 0) {
          throw domainError(ErrorCode.SOLD_OUT, 'Not enough of this dish is left today.', {
            dishId,
          });
        }
      }
      if (limited.length > 0) {
        await tx.stockReservationItem.createMany({
          data: limited.map(({ dishId, quantity }) => ({
            orderId,
            dishId,
            quantity,
            businessDate: new Date(businessDay),
          })),
        });
      }
      return 'reserved';
    }, RESERVATION_TRANSACTION);
  }
}

/**
 * Gives back what an order's reservation took, once: only the call that moves the reservation
 * from RESERVED to RELEASED (one conditional UPDATE; a concurrent second call waits on the row and
 * then finds it RELEASED) returns the units. A release for an order that reserved nothing yet
 * leaves a RELEASED row, so a reservation arriving late cannot take stock for a cancelled order.
 * Runs inside the caller's transaction (the event consumer's, with its processed-event record).
 * Returns whether stock was given back.
 */
export async function releaseReservation(
  tx: Prisma.TransactionClient,
  orderId: string,
  merchantId: string,
): Promise<boolean> {
  const released = await tx.$executeRaw`
    UPDATE stock_reservations SET status = 'RELEASED', "releasedAt" = now()
    WHERE "orderId" = ${orderId}::uuid AND status = 'RESERVED'`;
  if (released === 0) {
    await tx.stockReservation.createMany({
      data: [{ orderId, merchantId, status: 'RELEASED', releasedAt: new Date() }],
      skipDuplicates: true,
    });
    return false;
  }
  const items = await tx.stockReservationItem.findMany({
    where: { orderId },
    orderBy: { dishId: 'asc' },
  });
  for (const item of items) {
    const day = item.businessDate.toISOString().slice(0, 10);
    await tx.$executeRaw`
      UPDATE dish_daily_stocks
      SET reserved = GREATEST(reserved - ${item.quantity}, 0), "updatedAt" = now()
      WHERE "dishId" = ${item.dishId}::uuid AND "businessDate" = ${day}::date`;
  }
  return true;
}
