import { describe, expect, it } from 'vitest';
import { parseLocation, parseRecordedAt, parseVehicle } from './inputs.ts';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { extensions?: Record<string, unknown> }).extensions;
  }
  return null;
};

describe('parseLocation', () => {
  it('accepts points in range, edges included', () => {
    expect(parseLocation({ latitude: -90, longitude: 180 })).toEqual({
      latitude: -90,
      longitude: 180,
    });
  });

  it('refuses points out of range or not finite, naming the field', () => {
    for (const point of [
      { latitude: 90.5, longitude: 0 },
      { latitude: 0, longitude: -181 },
      { latitude: Number.NaN, longitude: 0 },
    ]) {
      expect(codeOf(() => parseLocation(point))).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'location',
      });
    }
  });
});

describe('parseRecordedAt', () => {
  const now = new Date('2026-11-25T08:00:00.000Z');
  it('defaults to now and accepts the past and a little skew', () => {
    expect(parseRecordedAt(undefined, now)).toBe(now);
    const past = new Date(now.getTime() - 5_000);
    expect(parseRecordedAt(past, now)).toBe(past);
    const skewed = new Date(now.getTime() + 30_000);
    expect(parseRecordedAt(skewed, now)).toBe(skewed);
  });

  it('refuses a time more than a minute ahead', () => {
    expect(codeOf(() => parseRecordedAt(new Date(now.getTime() + 120_000), now))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'recordedAt',
    });
  });
});

describe('parseVehicle', () => {
  it('trims, clears on empty and leaves undefined alone', () => {
    expect(parseVehicle('  scooter ')).toBe('scooter');
    expect(parseVehicle('  ')).toBeNull();
    expect(parseVehicle(null)).toBeNull();
    expect(parseVehicle(undefined)).toBeUndefined();
  });

  it('refuses more than 64 characters', () => {
    expect(codeOf(() => parseVehicle('x'.repeat(65)))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'vehicle',
    });
  });
});
