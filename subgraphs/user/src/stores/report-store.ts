import type { ReportKey } from '@sky/server-kit';
import type { PrismaClient } from '../__generated__/prisma/client.ts';

/** Customer accounts created on one day of a report. */
export interface UserDayRow {
  day: string;
  newUsers: number;
}

/**
 * Customer accounts per day in the report's zone (PostgreSQL cuts the days: `createdAt AT TIME
 * ZONE`, bounds at the zone's midnights). Accounts are the platform's, so the key's merchant does
 * not narrow them.
 */
export class UserReportStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Accounts created before the first day, and per day of the range. */
  async days(key: ReportKey): Promise<{ before: number; days: UserDayRow[] }> {
    const [before, days] = await Promise.all([
      this.prisma.$queryRaw<{ count: bigint }[]>`
        SELECT count(*) AS count FROM users
        WHERE 'CUSTOMER'::"Role" = ANY(roles)
          AND "createdAt" < (${key.from}::date)::timestamp AT TIME ZONE ${key.timeZone}`,
      this.prisma.$queryRaw<{ day: string; count: bigint }[]>`
        SELECT to_char("createdAt" AT TIME ZONE ${key.timeZone}, 'YYYY-MM-DD') AS day, count(*) AS count
        FROM users
        WHERE 'CUSTOMER'::"Role" = ANY(roles)
          AND "createdAt" >= (${key.from}::date)::timestamp AT TIME ZONE ${key.timeZone}
          AND "createdAt" < (${key.to}::date + 1)::timestamp AT TIME ZONE ${key.timeZone}
        GROUP BY 1`,
    ]);
    return {
      before: Number(before[0]?.count ?? 0),
      days: days.map((row) => ({ day: row.day, newUsers: Number(row.count) })),
    };
  }
}
