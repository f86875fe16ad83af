import { describe, expect, it } from 'vitest';
import {
  businessDate,
  formatMinute,
  isOpenAt,
  isWithinBusinessHours,
  localClock,
  parseMinute,
  scheduleProblem,
  type OpeningSwitches,
  type WeeklyInterval,
} from './business-hours.ts';

const shanghai: OpeningSwitches = { status: 'OPEN', pausedUntil: null, timezone: 'Asia/Shanghai' };
const everyDay = (opens: string, closes: string): WeeklyInterval[] =>
  [1, 2, 3, 4, 5, 6, 7].map((dayOfWeek) => ({
    dayOfWeek,
    opensAtMinute: parseMinute(opens),
    closesAtMinute: parseMinute(closes),
  }));
// 2026-11-27 is a Friday. Shanghai is UTC+8 all year.
const shanghaiTime = (local: string) => new Date(`${local}+08:00`);

describe('formatMinute / parseMinute', () => {
  it('round-trips HH:MM, including the end of the day', () => {
    for (const text of ['00:00', '08:05', '12:30', '23:59', '24:00']) {
      expect(formatMinute(parseMinute(text))).toBe(text);
    }
    expect(parseMinute('24:00')).toBe(1440);
  });

  it('refuses what is not a time of day', () => {
    for (const text of ['8:00', '24:01', '12:60', '25:00', '', 'noon']) {
      expect(() => parseMinute(text)).toThrow(RangeError);
    }
  });
});

describe('localClock', () => {
  it('reads the weekday, minute and date in the given zone', () => {
    // Friday 23:30 in Shanghai is Friday 15:30 UTC.
    expect(localClock(new Date('2026-11-27T15:30:00Z'), 'Asia/Shanghai')).toEqual({
      isoDay: 5,
      minute: 23 * 60 + 30,
      date: '2026-11-27',
    });
    // 17:00 UTC on Friday is already Saturday 01:00 in Shanghai.
    expect(localClock(new Date('2026-11-27T17:00:00Z'), 'Asia/Shanghai')).toEqual({
      isoDay: 6,
      minute: 60,
      date: '2026-11-28',
    });
  });

  it('reads midnight as minute 0 and Sunday as day 7', () => {
    expect(localClock(shanghaiTime('2026-11-29T00:00:00'), 'Asia/Shanghai')).toEqual({
      isoDay: 7,
      minute: 0,
      date: '2026-11-29',
    });
  });

  it('follows daylight saving time', () => {
    // New York: UTC-4 in July, UTC-5 in December.
    expect(localClock(new Date('2026-07-01T16:00:00Z'), 'America/New_York').minute).toBe(12 * 60);
    expect(localClock(new Date('2026-12-01T17:00:00Z'), 'America/New_York').minute).toBe(12 * 60);
  });

  it('throws for an unknown zone', () => {
    expect(() => localClock(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('isWithinBusinessHours', () => {
  const friday = (minute: number) => ({ isoDay: 5, minute, date: '2026-11-27' });
  const saturday = (minute: number) => ({ isoDay: 6, minute, date: '2026-11-28' });

  it('opens inclusive and closes exclusive', () => {
    const hours = [{ dayOfWeek: 5, opensAtMinute: 600, closesAtMinute: 840 }];
    expect(isWithinBusinessHours(hours, friday(599))).toBe(false);
    expect(isWithinBusinessHours(hours, friday(600))).toBe(true);
    expect(isWithinBusinessHours(hours, friday(839))).toBe(true);
    expect(isWithinBusinessHours(hours, friday(840))).toBe(false);
    expect(isWithinBusinessHours(hours, saturday(700))).toBe(false);
  });

  it('covers the whole day with 00:00-24:00', () => {
    const hours = [{ dayOfWeek: 5, opensAtMinute: 0, closesAtMinute: 1440 }];
    expect(isWithinBusinessHours(hours, friday(0))).toBe(true);
    expect(isWithinBusinessHours(hours, friday(1439))).toBe(true);
    expect(isWithinBusinessHours(hours, saturday(0))).toBe(false);
  });

  it('runs an interval past midnight into the next day', () => {
    // Friday 22:00 to Saturday 02:00.
    const hours = [{ dayOfWeek: 5, opensAtMinute: 22 * 60, closesAtMinute: 2 * 60 }];
    expect(isWithinBusinessHours(hours, friday(21 * 60 + 59))).toBe(false);
    expect(isWithinBusinessHours(hours, friday(22 * 60))).toBe(true);
    expect(isWithinBusinessHours(hours, friday(1439))).toBe(true);
    expect(isWithinBusinessHours(hours, saturday(0))).toBe(true);
    expect(isWithinBusinessHours(hours, saturday(119))).toBe(true);
    expect(isWithinBusinessHours(hours, saturday(120))).toBe(false);
    // The early hours of Friday belong to Thursday's interval, which does not exist.
    expect(isWithinBusinessHours(hours, friday(60))).toBe(false);
    // Nor does Saturday evening belong to Friday's interval.
    expect(isWithinBusinessHours(hours, saturday(23 * 60))).toBe(false);
  });

  it('wraps Sunday night into Monday morning', () => {
    const hours = [{ dayOfWeek: 7, opensAtMinute: 23 * 60, closesAtMinute: 60 }];
    expect(isWithinBusinessHours(hours, { isoDay: 1, minute: 30, date: '2026-11-30' })).toBe(true);
    expect(isWithinBusinessHours(hours, { isoDay: 1, minute: 60, date: '2026-11-30' })).toBe(false);
  });

  it('treats several intervals of a day independently and equal bounds as never open', () => {
    const hours = [
      { dayOfWeek: 5, opensAtMinute: 11 * 60, closesAtMinute: 14 * 60 },
      { dayOfWeek: 5, opensAtMinute: 17 * 60, closesAtMinute: 21 * 60 },
      { dayOfWeek: 6, opensAtMinute: 600, closesAtMinute: 600 },
    ];
    expect(isWithinBusinessHours(hours, friday(12 * 60))).toBe(true);
    expect(isWithinBusinessHours(hours, friday(15 * 60))).toBe(false);
    expect(isWithinBusinessHours(hours, friday(18 * 60))).toBe(true);
    expect(isWithinBusinessHours(hours, saturday(600))).toBe(false);
  });

  it('is never open without intervals', () => {
    expect(isWithinBusinessHours([], friday(600))).toBe(false);
  });
});

describe('isOpenAt', () => {
  const hours = everyDay('08:00', '21:00');

  it('is open inside the hours in the merchant’s own zone', () => {
    expect(isOpenAt(shanghai, hours, shanghaiTime('2026-11-27T08:00:00'))).toBe(true);
    expect(isOpenAt(shanghai, hours, shanghaiTime('2026-11-27T20:59:59'))).toBe(true);
    expect(isOpenAt(shanghai, hours, shanghaiTime('2026-11-27T21:00:00'))).toBe(false);
    // 01:00 UTC is 09:00 in Shanghai.
    expect(isOpenAt(shanghai, hours, new Date('2026-11-27T01:00:00Z'))).toBe(true);
  });

  it('is open past midnight in the merchant’s zone', () => {
    const lateNight = everyDay('22:00', '02:00');
    expect(isOpenAt(shanghai, lateNight, shanghaiTime('2026-11-28T01:30:00'))).toBe(true);
    expect(isOpenAt(shanghai, lateNight, shanghaiTime('2026-11-28T02:00:00'))).toBe(false);
  });

  it('is closed when switched off, paused, or in an unknown zone', () => {
    const noon = shanghaiTime('2026-11-27T12:00:00');
    expect(isOpenAt({ ...shanghai, status: 'CLOSED' }, hours, noon)).toBe(false);
    expect(isOpenAt({ ...shanghai, pausedUntil: new Date(noon.getTime() + 1) }, hours, noon)).toBe(
      false,
    );
    expect(isOpenAt({ ...shanghai, pausedUntil: noon }, hours, noon)).toBe(true);
    expect(isOpenAt({ ...shanghai, pausedUntil: new Date(0) }, hours, noon)).toBe(true);
    expect(isOpenAt({ ...shanghai, timezone: 'Nowhere/Land' }, hours, noon)).toBe(false);
  });
});

describe('businessDate', () => {
  it('is the local date at UTC midnight', () => {
    // 16:30 UTC on the 27th is 00:30 on the 28th in Shanghai.
    expect(businessDate(new Date('2026-11-27T16:30:00Z'), 'Asia/Shanghai').toISOString()).toBe(
      '2026-11-28T00:00:00.000Z',
    );
    expect(businessDate(new Date('2026-11-27T15:59:00Z'), 'Asia/Shanghai').toISOString()).toBe(
      '2026-11-27T00:00:00.000Z',
    );
  });
});

describe('scheduleProblem', () => {
  const interval = (dayOfWeek: number, opens: string, closes: string): WeeklyInterval => ({
    dayOfWeek,
    opensAtMinute: parseMinute(opens),
    closesAtMinute: parseMinute(closes),
  });

  it('accepts an empty week, whole days, split days and intervals past midnight', () => {
    expect(scheduleProblem([])).toBeNull();
    expect(scheduleProblem(everyDay('00:00', '24:00'))).toBeNull();
    expect(
      scheduleProblem([
        interval(1, '11:00', '14:00'),
        interval(1, '17:00', '22:00'),
        interval(5, '22:00', '02:00'),
        interval(6, '02:00', '24:00'),
        interval(7, '20:00', '03:00'),
        interval(1, '03:00', '10:00'),
      ]),
    ).toBeNull();
  });

  it('refuses bad days, empty intervals and overlaps, also across the week boundary', () => {
    expect(scheduleProblem([interval(0, '09:00', '10:00')])).toMatch(/dayOfWeek/);
    expect(scheduleProblem([interval(1, '10:00', '10:00')])).toMatch(/open and close/);
    expect(scheduleProblem([interval(1, '24:00', '10:00')])).toMatch(/opensAt/);
    expect(scheduleProblem([{ dayOfWeek: 1, opensAtMinute: 60, closesAtMinute: 0 }])).toMatch(
      /closesAt/,
    );
    expect(scheduleProblem([interval(2, '09:00', '14:00'), interval(2, '13:59', '18:00')])).toMatch(
      /overlap/,
    );
    expect(scheduleProblem([interval(2, '22:00', '02:00'), interval(3, '01:00', '08:00')])).toMatch(
      /overlap/,
    );
    expect(scheduleProblem([interval(7, '22:00', '03:00'), interval(1, '02:00', '08:00')])).toMatch(
      /overlap/,
    );
  });
});
