import { badUserInput, optionalText } from '@sky/errors';
import { isValidPoint, type LatLng } from '@sky/geo';

/** A device clock may run a little ahead of the server's; more than this is refused. */
export const MAX_CLOCK_SKEW_MS = 60_000;
export const MAX_VEHICLE_LENGTH = 64;

/** A position as input: both coordinates finite and in range (BAD_USER_INPUT on `field`). */
export function parseLocation(input: LatLng, field = 'location'): LatLng {
  const point = { latitude: input.latitude, longitude: input.longitude };
  if (!isValidPoint(point)) {
    throw badUserInput('Latitude must be within -90..90 and longitude within -180..180.', field);
  }
  return point;
}

/** When the device took a position: now when not given, never more than a minute ahead. */
export function parseRecordedAt(recordedAt: Date | null | undefined, now: Date): Date {
  if (recordedAt == null) return now;
  if (recordedAt.getTime() - now.getTime() > MAX_CLOCK_SKEW_MS) {
    throw badUserInput('"recordedAt" is in the future.', 'recordedAt');
  }
  return recordedAt;
}

/** Free text, trimmed; empty clears it; undefined leaves it as it is. */
export function parseVehicle(vehicle: string | null | undefined): string | null | undefined {
  if (vehicle === undefined) return undefined;
  return optionalText(vehicle, 'vehicle', MAX_VEHICLE_LENGTH, {
    message: `"vehicle" is longer than ${MAX_VEHICLE_LENGTH} characters.`,
  });
}
