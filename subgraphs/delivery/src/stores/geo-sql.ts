import { Prisma } from '../__generated__/prisma/client.ts';
import { EARTH_RADIUS_METERS, type LatLng } from '@sky/geo';

/**
 * The haversine distance in meters between two columns and a point, in SQL: the same formula as
 * `distanceMeters` (src/geo.ts), so the database ranks riders exactly as the code measures them.
 * Only trigonometric built-ins, so it runs on PostgreSQL and PGlite alike.
 */
export function distanceSql(latitude: Prisma.Sql, longitude: Prisma.Sql, to: LatLng): Prisma.Sql {
  const lat = Prisma.sql`${to.latitude}::float8`;
  const lng = Prisma.sql`${to.longitude}::float8`;
  return Prisma.sql`(2 * ${EARTH_RADIUS_METERS}::float8 * asin(least(1::float8, sqrt(
    power(sin(radians(${latitude} - ${lat}) / 2), 2)
    + cos(radians(${lat})) * cos(radians(${latitude})) * power(sin(radians(${longitude} - ${lng}) / 2), 2)
  ))))`;
}
