import { describe, expect, it } from 'vitest';
import type { DeliveryStatus } from '../stores/index.ts';
import { riderStepOutcome, type RiderStep } from './rider-steps.ts';

const statuses: DeliveryStatus[] = [
  'WAITING_FOR_RIDER',
  'OFFERED',
  'ASSIGNED',
  'ARRIVED_AT_MERCHANT',
  'PICKED_UP',
  'DELIVERED',
  'CANCELLED',
];

const outcomes = (step: RiderStep) =>
  Object.fromEntries(statuses.map((status) => [status, riderStepOutcome(status, step)]));

describe('riderStepOutcome', () => {
  it('arrives only from ASSIGNED', () => {
    expect(outcomes('arrivedAtMerchant')).toEqual({
      WAITING_FOR_RIDER: 'refuse',
      OFFERED: 'refuse',
      ASSIGNED: 'apply',
      ARRIVED_AT_MERCHANT: 'repeat',
      PICKED_UP: 'refuse',
      DELIVERED: 'refuse',
      CANCELLED: 'refuse',
    });
  });

  it('picks up only after arriving, never skipping the merchant', () => {
    expect(outcomes('pickedUp')).toEqual({
      WAITING_FOR_RIDER: 'refuse',
      OFFERED: 'refuse',
      ASSIGNED: 'refuse',
      ARRIVED_AT_MERCHANT: 'apply',
      PICKED_UP: 'repeat',
      DELIVERED: 'refuse',
      CANCELLED: 'refuse',
    });
  });

  it('delivers only what was picked up', () => {
    expect(outcomes('delivered')).toEqual({
      WAITING_FOR_RIDER: 'refuse',
      OFFERED: 'refuse',
      ASSIGNED: 'refuse',
      ARRIVED_AT_MERCHANT: 'refuse',
      PICKED_UP: 'apply',
      DELIVERED: 'repeat',
      CANCELLED: 'refuse',
    });
  });
});
