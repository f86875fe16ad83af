import { describe, expect, it } from 'vitest';
import { offerHeldUntil } from './dispatch.ts';

const speed = { riderSpeedMetersPerSecond: 4 };
const readyAt = new Date('2026-12-07T12:30:00.000Z');

describe('offerHeldUntil', () => {
  it('sends the rider so as to arrive at the ready time', () => {
    // 1200 m at 4 m/s: 300 s before the food is ready.
    expect(offerHeldUntil({ expectedReadyAt: readyAt, foodReadyAt: null }, 1200, speed)).toEqual(
      new Date('2026-12-07T12:25:00.000Z'),
    );
  });

  it('holds nothing once the food is ready or when no ready time is known', () => {
    expect(
      offerHeldUntil({ expectedReadyAt: readyAt, foodReadyAt: new Date() }, 1200, speed),
    ).toBeNull();
    expect(offerHeldUntil({ expectedReadyAt: null, foodReadyAt: null }, 1200, speed)).toBeNull();
  });
});
