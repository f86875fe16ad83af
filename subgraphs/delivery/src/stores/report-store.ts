import type { ReportKey } from '@sky/server-kit';
import { Prisma, type PrismaClient } from '../__generated__/prisma/client.ts';

/** Completed deliveries of one day of a report, with their durations in seconds. */
export interface DeliveryDayRow {
  day: string;
  delivered: number;
  totalSeconds: number;
  maxSeconds: number;
}

/**
 * Completed deliveries per day (of `deliveredAt`) in the report's zone, of the merchant or of
 * all, with how long each took from its creation (the merchant accepted the order) to hand-over.
 * Served by the (merchantId, deliveredAt) and (deliveredAt) indexes.
 */
export class DeliveryReportStore {
  private readonly dayRows = new Map<string, Promise<DeliveryDayRow[]>>();

  constructor(private readonly prisma: PrismaClient) {}

  /** One query per key and request: `deliveryDays` and `deliveryTotals` share it. */
  days(key: ReportKey): Promise<DeliveryDayRow[]> {
    let rows = this.dayRows.get(key.id);
    if (!rows) {
      rows = this.queryDays(key);
      this.dayRows.set(key.id, rows);
    }
    return rows;
  }

  private async queryDays(key: ReportKey): Promise<DeliveryDayRow[]> {
    const merchant = key.merchantId
      ? Prisma.sql`AND d."merchantId" = ${key.merchantId}::uuid`
      : Prisma.empty;
    const rows = await this.prisma.$queryRaw<
      { day: string; delivered: bigint; total: number; longest: number }[]
    >`
      SELECT to_char(d."deliveredAt" AT TIME ZONE ${key.timeZone}, 'YYYY-MM-DD') AS day,
             count(*) AS delivered,
             sum(extract(epoch FROM d."deliveredAt" - d."createdAt"))::float8 AS total,
             max(extract(epoch FROM d."deliveredAt" - d."createdAt"))::float8 AS longest
      FROM deliveries d
      WHERE d."deliveredAt" >= (${key.from}::date)::timestamp AT TIME ZONE ${key.timeZone}
        AND d."deliveredAt" < (${key.to}::date + 1)::timestamp AT TIME ZONE ${key.timeZone}
        ${merchant}
      GROUP BY 1`;
    return rows.map((row) => ({
      day: row.day,
      delivered: Number(row.delivered),
      totalSeconds: row.total,
      maxSeconds: row.longest,
    }));
  }
}
