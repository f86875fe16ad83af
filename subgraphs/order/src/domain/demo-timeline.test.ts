import { describe, expect, it } from 'vitest';
import { demoStatusHistory, demoStatusPath } from './demo-timeline.ts';

const customerId = '11111111-1111-4111-a111-111111111111';
const actors = {
  merchantStaffUserId: '22222222-2222-4222-a222-222222222222',
  riderUserId: '33333333-3333-4333-a333-333333333333',
};
const now = new Date('2026-11-25T12:00:00.000Z');
const hoursBefore = (hours: number) => new Date(now.getTime() - hours * 3_600_000);

describe('demoStatusPath', () => {
  it('follows the happy path up to the status', () => {
    expect(demoStatusPath('PENDING_PAYMENT', false)).toEqual(['PENDING_PAYMENT']);
    expect(demoStatusPath('CONFIRMED', true)).toEqual([
      'PENDING_PAYMENT',
      'TO_BE_CONFIRMED',
      'CONFIRMED',
    ]);
    expect(demoStatusPath('COMPLETED', true)).toEqual([
      'PENDING_PAYMENT',
      'TO_BE_CONFIRMED',
      'CONFIRMED',
      'DELIVERY_IN_PROGRESS',
      'COMPLETED',
    ]);
  });

  it('cancels from the status the cancelling party may cancel from', () => {
    expect(demoStatusPath('CANCELLED', false)).toEqual(['PENDING_PAYMENT', 'CANCELLED']);
    expect(demoStatusPath('CANCELLED', true)).toEqual([
      'PENDING_PAYMENT',
      'TO_BE_CONFIRMED',
      'CANCELLED',
    ]);
  });
});

describe('demoStatusHistory', () => {
  it('records who made each change of a completed order, starting at placement', () => {
    const placedAt = hoursBefore(48);
    const history = demoStatusHistory(
      { customerId, status: 'COMPLETED', paid: true, placedAt },
      actors,
      now,
    );
    expect(history.map((c) => [c.from, c.to, c.actor, c.actorUserId])).toEqual([
      [null, 'PENDING_PAYMENT', 'CUSTOMER', customerId],
      ['PENDING_PAYMENT', 'TO_BE_CONFIRMED', 'SYSTEM', null],
      ['TO_BE_CONFIRMED', 'CONFIRMED', 'MERCHANT', actors.merchantStaffUserId],
      ['CONFIRMED', 'DELIVERY_IN_PROGRESS', 'RIDER', actors.riderUserId],
      ['DELIVERY_IN_PROGRESS', 'COMPLETED', 'RIDER', actors.riderUserId],
    ]);
    expect(history[0]!.at).toEqual(placedAt);
    expect(history.at(-1)!.at).toEqual(new Date(placedAt.getTime() + 45 * 60_000));
  });

  it('keeps timestamps strictly increasing and never in the future', () => {
    for (const placedAt of [
      hoursBefore(48),
      hoursBefore(0.5),
      hoursBefore(0.1),
      hoursBefore(0.01),
    ]) {
      const history = demoStatusHistory(
        { customerId, status: 'COMPLETED', paid: true, placedAt },
        actors,
        now,
      );
      for (let i = 1; i < history.length; i++) {
        expect(history[i]!.at.getTime()).toBeGreaterThan(history[i - 1]!.at.getTime());
      }
      expect(history.at(-1)!.at.getTime()).toBeLessThanOrEqual(now.getTime());
    }
  });

  it('gives the reason of a cancellation', () => {
    const timedOut = demoStatusHistory(
      { customerId, status: 'CANCELLED', paid: false, placedAt: hoursBefore(2) },
      actors,
      now,
    );
    expect(timedOut.at(-1)).toMatchObject({
      from: 'PENDING_PAYMENT',
      to: 'CANCELLED',
      actor: 'SYSTEM',
      actorUserId: null,
      reason: 'payment timeout',
    });
    const byCustomer = demoStatusHistory(
      { customerId, status: 'CANCELLED', paid: true, placedAt: hoursBefore(2) },
      actors,
      now,
    );
    expect(byCustomer.at(-1)).toMatchObject({
      from: 'TO_BE_CONFIRMED',
      actor: 'CUSTOMER',
      actorUserId: customerId,
    });
  });
});
