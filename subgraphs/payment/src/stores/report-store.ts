import type { ReportKey } from '@sky/server-kit';
import { Prisma, type PrismaClient } from '../__generated__/prisma/client.ts';

/** Succeeded refunds of one day of a report. */
export interface RefundDayRow {
  day: string;
  refunds: number;
  refundedAmount: number;
}

/**
 * Succeeded refunds per day (of `completedAt`, when the money went back) in the report's zone,
 * of the merchant's payments or of all. Served by the (status, completedAt) index.
 */
export class RefundReportStore {
  private readonly dayRows = new Map<string, Promise<RefundDayRow[]>>();

  constructor(private readonly prisma: PrismaClient) {}

  /** One query per key and request: `refundDays` and `refundTotals` share it. */
  days(key: ReportKey): Promise<RefundDayRow[]> {
    let rows = this.dayRows.get(key.id);
    if (!rows) {
      rows = this.queryDays(key);
      this.dayRows.set(key.id, rows);
    }
    return rows;
  }

  private async queryDays(key: ReportKey): Promise<RefundDayRow[]> {
    const merchant = key.merchantId
      ? Prisma.sql`AND p."merchantId" = ${key.merchantId}::uuid`
      : Prisma.empty;
    const rows = await this.prisma.$queryRaw<{ day: string; refunds: bigint; amount: bigint }[]>`
      SELECT to_char(r."completedAt" AT TIME ZONE ${key.timeZone}, 'YYYY-MM-DD') AS day,
             count(*) AS refunds, sum(r.amount)::bigint AS amount
      FROM refunds r JOIN payments p ON p.id = r."paymentId"
      WHERE r.status = 'SUCCEEDED'
        AND r."completedAt" >= (${key.from}::date)::timestamp AT TIME ZONE ${key.timeZone}
        AND r."completedAt" < (${key.to}::date + 1)::timestamp AT TIME ZONE ${key.timeZone}
        ${merchant}
      GROUP BY 1`;
    return rows.map((row) => ({
      day: row.day,
      refunds: Number(row.refunds),
      refundedAmount: Number(row.amount),
    }));
  }
}
