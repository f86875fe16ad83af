/** A WGS-84 position in degrees, as stored (latitude/longitude columns) and as served (GeoPoint). */
export interface LatLng {
  latitude: number;
  longitude: number;
}

/** Mean Earth radius in meters (IUGG), the usual choice for haversine distances. */
export const EARTH_RADIUS_METERS = 6_371_008.8;

const radians = (degrees: number) => (degrees * Math.PI) / 180;

/**
 * Great-circle distance between two points in meters (haversine formula). Straight-line, not road
 * distance: callers that estimate travel time add their own detour factor.
 */
export function haversineMeters(from: LatLng, to: LatLng): number {
  const dLat = radians(to.latitude - from.latitude);
  const dLng = radians(to.longitude - from.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(radians(from.latitude)) * Math.cos(radians(to.latitude)) * Math.sin(dLng / 2) ** 2;
  // min() guards against rounding pushing h a hair above 1 for antipodal points.
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A stored pair of nullable columns as a GeoPoint, or null when no position is stored. */
export function pointOrNull(latitude: number | null, longitude: number | null): LatLng | null {
  return latitude === null || longitude === null ? null : { latitude, longitude };
}

/** The point `fraction` (0..1) of the way from `from` to `to`; fine for the short hops of a city. */
export function interpolate(from: LatLng, to: LatLng, fraction: number): LatLng {
  return {
    latitude: from.latitude + (to.latitude - from.latitude) * fraction,
    longitude: from.longitude + (to.longitude - from.longitude) * fraction,
  };
}

/** Latitude in -90..90 and longitude in -180..180, both finite. */
export function isValidPoint(point: LatLng): boolean {
  return (
    Number.isFinite(point.latitude) &&
    Number.isFinite(point.longitude) &&
    Math.abs(point.latitude) <= 90 &&
    Math.abs(point.longitude) <= 180
  );
}
