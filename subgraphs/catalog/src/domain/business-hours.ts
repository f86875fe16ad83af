/**
 * Business hours and the merchant's local clock. Intervals are stored as minutes since local
 * midnight: `opensAtMinute` 0..1439 (inclusive) and `closesAtMinute` 1..1440 (exclusive), where a
 * closing minute earlier than the opening minute means the interval runs past midnight.
 */

export const MINUTES_PER_DAY = 24 * 60;

/** One weekly opening interval, as stored. */
export interface WeeklyInterval {
  /** ISO day of the week on which the interval starts: 1 = Monday … 7 = Sunday. */
  dayOfWeek: number;
  opensAtMinute: number;
  closesAtMinute: number;
}

/** What the wall clock of a time zone shows at one instant. */
export interface LocalClock {
  /** ISO day of the week: 1 = Monday … 7 = Sunday. */
  isoDay: number;
  /** Minutes since local midnight, 0..1439. */
  minute: number;
  /** The local calendar date, `YYYY-MM-DD`. */
  date: string;
}

/** The part of a merchant that decides whether it takes orders. */
export interface OpeningSwitches {
  status: 'OPEN' | 'CLOSED';
  pausedUntil: Date | null;
  timezone: string;
}

/** `HH:MM` on the API (`24:00` for the end of the day). */
export function formatMinute(minute: number): string {
  const hours = Math.floor(minute / 60);
  return `${String(hours).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** Reads `HH:MM` (00:00..24:00) into minutes since midnight; throws on anything else. */
export function parseMinute(text: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  const minute = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  if (!match || Number(match[2]) > 59 || minute > MINUTES_PER_DAY) {
    throw new RangeError(`"${text}" is not a time of day (HH:MM, 00:00..24:00).`);
  }
  return minute;
}

const ISO_DAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

// Building a formatter is far more expensive than using one: keep one per time zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall clock of `timeZone` (IANA name) at `instant`; throws RangeError for an unknown zone. */
export function localClock(instant: Date, timeZone: string): LocalClock {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  // Some ICU versions print midnight as 24 even with h23; it is the start of the same day.
  const hour = Number(parts.hour) % 24;
  return {
    isoDay: ISO_DAYS[parts.weekday!]!,
    minute: hour * 60 + Number(parts.minute),
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
}

/** Whether the local clock falls inside one of the weekly intervals. */
export function isWithinBusinessHours(
  intervals: readonly WeeklyInterval[],
  clock: LocalClock,
): boolean {
  const previousDay = clock.isoDay === 1 ? 7 : clock.isoDay - 1;
  return intervals.some(({ dayOfWeek, opensAtMinute: opens, closesAtMinute: closes }) => {
    if (opens === closes) return false;
    if (opens < closes) {
      return dayOfWeek === clock.isoDay && clock.minute >= opens && clock.minute < closes;
    }
    // Past midnight: the evening part belongs to its own day, the early hours to the next day.
    return (
      (dayOfWeek === clock.isoDay && clock.minute >= opens) ||
      (dayOfWeek === previousDay && clock.minute < closes)
    );
  });
}

/**
 * Whether the merchant takes orders at `instant`: switched OPEN, not paused, and inside its
 * business hours in its own time zone. An unknown time zone never counts as open.
 */
export function isOpenAt(
  merchant: OpeningSwitches,
  intervals: readonly WeeklyInterval[],
  instant: Date,
): boolean {
  if (merchant.status !== 'OPEN') return false;
  if (merchant.pausedUntil && merchant.pausedUntil.getTime() > instant.getTime()) return false;
  let clock: LocalClock;
  try {
    clock = localClock(instant, merchant.timezone);
  } catch {
    return false;
  }
  return isWithinBusinessHours(intervals, clock);
}

/** The business day (local date in `timeZone`) as the UTC midnight PostgreSQL `date` columns use. */
export function businessDate(instant: Date, timeZone: string): Date {
  return new Date(`${localClock(instant, timeZone).date}T00:00:00.000Z`);
}

export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** The interval as [start, end) minutes since Monday 00:00, `end` possibly past the week's end. */
function weekRange({ dayOfWeek, opensAtMinute, closesAtMinute }: WeeklyInterval): [number, number] {
  const start = (dayOfWeek - 1) * MINUTES_PER_DAY + opensAtMinute;
  const length =
    closesAtMinute > opensAtMinute
      ? closesAtMinute - opensAtMinute
      : closesAtMinute + MINUTES_PER_DAY - opensAtMinute;
  return [start, start + length];
}

/**
 * Why a weekly schedule is not acceptable, or null when it is: every interval must start on an
 * ISO day 1..7, open at 00:00..23:59, close at 00:01..24:00 and not at its opening time, and no
 * two intervals may overlap (an interval past midnight on Sunday runs into Monday).
 */
export function scheduleProblem(intervals: readonly WeeklyInterval[]): string | null {
  for (const interval of intervals) {
    const { dayOfWeek, opensAtMinute, closesAtMinute } = interval;
    if (!Number.isInteger(dayOfWeek) || dayOfWeek < 1 || dayOfWeek > 7) {
      return `dayOfWeek must be 1 (Monday) .. 7 (Sunday), not ${dayOfWeek}.`;
    }
    if (opensAtMinute < 0 || opensAtMinute >= MINUTES_PER_DAY) {
      return `opensAt must be 00:00..23:59, not ${formatMinute(opensAtMinute)}.`;
    }
    if (closesAtMinute < 1 || closesAtMinute > MINUTES_PER_DAY) {
      return `closesAt must be 00:01..24:00 (use 24:00 for midnight), not ${formatMinute(closesAtMinute)}.`;
    }
    if (opensAtMinute === closesAtMinute) {
      return `An interval cannot open and close at ${formatMinute(opensAtMinute)}.`;
    }
  }
  const ranges = intervals.map(weekRange).sort((a, b) => a[0] - b[0]);
  for (let i = 0; i < ranges.length; i++) {
    const end = ranges[i]![1];
    const next = ranges[i + 1];
    if (next && next[0] < end) return 'Business hours overlap.';
    // The last interval of the week (past midnight on Sunday) may run into Monday's first one.
    if (!next && i > 0 && end - MINUTES_PER_WEEK > ranges[0]![0]) return 'Business hours overlap.';
  }
  return null;
}
