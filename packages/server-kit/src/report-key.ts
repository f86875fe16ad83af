import { isAdmin, isStaffOf, ownerRule, type Viewer } from '@sky/auth';
import { badUserInput } from '@sky/errors';

/**
 * The key of the `BusinessReport` and `Workspace` entities: `<merchantId or "platform">|<from>|
 * <to>|<timeZone>`. The order subgraph builds it from the query's arguments; every subgraph that
 * contributes fields parses it back and answers from its own database, with the same permission
 * check (`canViewReport`), so no subgraph trusts another with the scope.
 */
export interface ReportKey {
  id: string;
  /** Null for the platform-wide report. */
  merchantId: string | null;
  /** First day, YYYY-MM-DD (inclusive). */
  from: string;
  /** Last day, YYYY-MM-DD (inclusive). */
  to: string;
  /** IANA zone whose midnights separate the days. */
  timeZone: string;
  /** Every day from..to. */
  days: string[];
}

/** The platform's default zone (the reference platform's, and the demo merchants'). */
export const PLATFORM_TIME_ZONE = 'Asia/Shanghai';
/** The longest range one report covers. */
export const MAX_REPORT_DAYS = 366;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 86_400_000;

function parseDay(value: string, field: string): number {
  const match = DATE.exec(value);
  const time = match ? Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!) : NaN;
  if (!match || Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) {
    throw badUserInput(`${field} must be a calendar date written YYYY-MM-DD.`, field);
  }
  return time;
}

export function checkTimeZone(timeZone: string): string {
  try {
    // Throws a RangeError for a zone the IANA database (shared with PostgreSQL's) does not know.
    return new Intl.DateTimeFormat('en-CA', { timeZone }).resolvedOptions().timeZone;
  } catch {
    throw badUserInput(`Unknown time zone: ${timeZone.slice(0, 64)}.`, 'timeZone');
  }
}

/** Validates the arguments of a report and returns its key. */
export function reportKey(
  merchantId: string | null | undefined,
  from: string,
  to: string,
  timeZone: string,
): ReportKey {
  if (merchantId != null && !UUID.test(merchantId)) {
    throw badUserInput('merchantId must be a UUID.', 'merchantId');
  }
  const start = parseDay(from, 'from');
  const end = parseDay(to, 'to');
  if (end < start) throw badUserInput('from must not be after to.', 'from');
  const count = (end - start) / DAY_MS + 1;
  if (count > MAX_REPORT_DAYS) {
    throw badUserInput(`A report covers at most ${MAX_REPORT_DAYS} days.`, 'to');
  }
  // Zones are case-insensitive in Intl; the canonical spelling keeps one id per report.
  const zone = checkTimeZone(timeZone);
  const days = Array.from({ length: count }, (_, index) =>
    new Date(start + index * DAY_MS).toISOString().slice(0, 10),
  );
  const scope = merchantId?.toLowerCase() ?? 'platform';
  return {
    id: [scope, from, to, zone].join('|'),
    merchantId: merchantId?.toLowerCase() ?? null,
    from,
    to,
    timeZone: zone,
    days,
  };
}

/** Parses an entity key built by `reportKey` (a malformed one is the caller's error). */
export function parseReportKey(id: string): ReportKey {
  const parts = id.split('|');
  if (parts.length !== 4) throw badUserInput('Malformed report id.', 'id');
  const [scope, from, to, timeZone] = parts as [string, string, string, string];
  return reportKey(scope === 'platform' ? null : scope, from, to, timeZone);
}

/** Today's date (YYYY-MM-DD) in the zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/**
 * A merchant's figures: its staff and admins. The platform's: admins only. Customers and riders
 * never (they are neither staff nor admins).
 */
export function canViewReport(viewer: Viewer | null, merchantId: string | null): boolean {
  if (!viewer) return false;
  if (isAdmin(viewer)) return true;
  return merchantId !== null && isStaffOf(viewer, merchantId);
}

/** The shield rule of every field contributed to a report or workspace entity. */
export const mayViewReport = ownerRule<ReportKey>('mayViewReport', (key, viewer) =>
  canViewReport(viewer, key.merchantId),
);

/**
 * One entry per day of the report, oldest first: the day's row where the query returned one,
 * `empty` where it did not (a day without orders, refunds or deliveries).
 */
export function everyDay<Row extends { day: string }, Figures>(
  key: ReportKey,
  rows: Row[],
  figures: (row: Row | undefined) => Figures,
): { date: string; figures: Figures }[] {
  const byDay = new Map(rows.map((row) => [row.day, row]));
  return key.days.map((date) => ({ date, figures: figures(byDay.get(date)) }));
}
