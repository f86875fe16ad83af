/**
 * The delivery-time estimate catalog gives before an order exists (nearby merchants, checkout
 * preview): kitchen prep plus the ride from the merchant to the delivery point.
 *
 * - Prep: the merchant's `defaultPrepMinutes` (what `acceptOrder` assumes without a prep time);
 *   DEFAULT_PREP_MINUTES when none is given (the median of the reference platform's 出餐时间 for
 *   a la carte shops, and the column's default).
 * - Ride: the straight-line distance at DEFAULT_RIDER_SPEED_METERS_PER_SECOND, the speed delivery
 *   assumes for its live ETA when none is configured (about 14 km/h door to door).
 * Rounded up to whole minutes, so a merchant next door still shows the prep time plus a minute.
 */
export const DEFAULT_PREP_MINUTES = 15;
export const DEFAULT_RIDER_SPEED_METERS_PER_SECOND = 4;

export function estimatedDeliveryMinutes(
  distanceMeters: number,
  prepMinutes: number = DEFAULT_PREP_MINUTES,
  riderSpeedMetersPerSecond: number = DEFAULT_RIDER_SPEED_METERS_PER_SECOND,
): number {
  const rideMinutes = Math.ceil(distanceMeters / riderSpeedMetersPerSecond / 60);
  return prepMinutes + Math.max(rideMinutes, 1);
}
