import type { DeliveryStatus } from '../stores/index.ts';

/** The steps only the assigned rider takes, in the one order they may happen. */
export const RIDER_STEPS = {
  arrivedAtMerchant: { from: 'ASSIGNED', to: 'ARRIVED_AT_MERCHANT' },
  pickedUp: { from: 'ARRIVED_AT_MERCHANT', to: 'PICKED_UP' },
  delivered: { from: 'PICKED_UP', to: 'DELIVERED' },
} as const satisfies Record<string, { from: DeliveryStatus; to: DeliveryStatus }>;

export type RiderStep = keyof typeof RIDER_STEPS;

/**
 * What a rider step does to a delivery in `status`: `apply` moves it on, `repeat` means the step
 * was already taken (answered unchanged, so a retried request is harmless), `refuse` is an
 * illegal order of steps (INVALID_STATE_TRANSITION).
 */
export function riderStepOutcome(
  status: DeliveryStatus,
  step: RiderStep,
): 'apply' | 'repeat' | 'refuse' {
  const { from, to } = RIDER_STEPS[step];
  if (status === from) return 'apply';
  if (status === to) return 'repeat';
  return 'refuse';
}
