import { describe, expect, it } from 'vitest';
import { DEFAULT_PREP_MINUTES, estimatedDeliveryMinutes } from './eta.ts';

describe('estimatedDeliveryMinutes', () => {
  it('adds the prep time to the ride at 4 m/s, rounded up to whole minutes', () => {
    // 2400 m at 4 m/s = 600 s = 10 min.
    expect(estimatedDeliveryMinutes(2400)).toBe(DEFAULT_PREP_MINUTES + 10);
    // 2401 m is a little over 10 minutes: 11.
    expect(estimatedDeliveryMinutes(2401)).toBe(DEFAULT_PREP_MINUTES + 11);
  });

  it('counts at least one minute of riding, even next door', () => {
    expect(estimatedDeliveryMinutes(0)).toBe(DEFAULT_PREP_MINUTES + 1);
  });

  it('takes another prep time and speed', () => {
    expect(estimatedDeliveryMinutes(1200, 5, 2)).toBe(5 + 10);
  });
});
