/** Great-circle distances on a spherical Earth, good to about 0.5% (plenty for delivery radii). */

export interface Point {
  latitude: number;
  longitude: number;
}

/** Mean Earth radius (IUGG), in meters. */
export const EARTH_RADIUS_METERS = 6_371_008.8;

const toRadians = (degrees: number) => (degrees * Math.PI) / 180;
const toDegrees = (radians: number) => (radians * 180) / Math.PI;

/** Whether the point is a valid WGS-84 position. */
export function isValidPoint(point: Point): boolean {
  return (
    Number.isFinite(point.latitude) &&
    Number.isFinite(point.longitude) &&
    Math.abs(point.latitude) <= 90 &&
    Math.abs(point.longitude) <= 180
  );
}

/** Straight-line (great-circle) distance between two points, in meters (haversine formula). */
export function distanceMeters(a: Point, b: Point): number {
  const dLat = toRadians(b.latitude - a.latitude);
  const dLng = toRadians(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(toRadians(a.latitude)) * Math.cos(toRadians(b.latitude)) * Math.sin(dLng / 2) ** 2;
  // min() guards against rounding pushing h a hair above 1 for antipodal points.
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface DegreeRange {
  gte: number;
  lte: number;
}

/** A latitude range and one or two longitude ranges (two when it crosses the antimeridian). */
export interface BoundingBox {
  latitude: DegreeRange;
  longitudes: DegreeRange[];
}

/**
 * The smallest latitude/longitude box holding every point within `radiusMeters` of `center`
 * (J. P. Matuschek's method), widened a little against rounding. It lets the database narrow the
 * candidates with an index before the exact distance is computed.
 */
export function boundingBox(center: Point, radiusMeters: number): BoundingBox {
  const slack = 1e-6;
  const angular = radiusMeters / EARTH_RADIUS_METERS;
  const latitude = toRadians(center.latitude);
  const minLatitude = toDegrees(latitude - angular) - slack;
  const maxLatitude = toDegrees(latitude + angular) + slack;
  const everyLongitude = [{ gte: -180, lte: 180 }];
  if (minLatitude <= -90 || maxLatitude >= 90) {
    // A pole is inside the circle: every longitude is.
    return {
      latitude: { gte: Math.max(minLatitude, -90), lte: Math.min(maxLatitude, 90) },
      longitudes: everyLongitude,
    };
  }
  const ratio = Math.sin(angular) / Math.cos(latitude);
  const latitudeRange = { gte: minLatitude, lte: maxLatitude };
  if (ratio >= 1) return { latitude: latitudeRange, longitudes: everyLongitude };
  const halfWidth = toDegrees(Math.asin(ratio)) + slack;
  const west = center.longitude - halfWidth;
  const east = center.longitude + halfWidth;
  if (halfWidth >= 180) return { latitude: latitudeRange, longitudes: everyLongitude };
  if (west < -180) {
    return {
      latitude: latitudeRange,
      longitudes: [
        { gte: west + 360, lte: 180 },
        { gte: -180, lte: east },
      ],
    };
  }
  if (east > 180) {
    return {
      latitude: latitudeRange,
      longitudes: [
        { gte: west, lte: 180 },
        { gte: -180, lte: east - 360 },
      ],
    };
  }
  return { latitude: latitudeRange, longitudes: [{ gte: west, lte: east }] };
}

/** The same position type under the name the delivery code uses. */
export type LatLng = Point;

/** A stored pair of nullable columns as a GeoPoint, or null when no position is stored. */
export function pointOrNull(latitude: number | null, longitude: number | null): Point | null {
  return latitude === null || longitude === null ? null : { latitude, longitude };
}

/** The point `fraction` (0..1) of the way from `from` to `to`; fine for the short hops of a city. */
export function interpolate(from: Point, to: Point, fraction: number): Point {
  return {
    latitude: from.latitude + (to.latitude - from.latitude) * fraction,
    longitude: from.longitude + (to.longitude - from.longitude) * fraction,
  };
}
