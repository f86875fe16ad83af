import { describe, expect, it } from 'vitest';
import {
  boundingBox,
  distanceMeters,
  isValidPoint,
  type BoundingBox,
  type Point,
} from './index.ts';

const inBox = (box: BoundingBox, p: Point) =>
  p.latitude >= box.latitude.gte &&
  p.latitude <= box.latitude.lte &&
  box.longitudes.some((range) => p.longitude >= range.gte && p.longitude <= range.lte);

describe('distanceMeters', () => {
  it('is zero for the same point and symmetric', () => {
    const a = { latitude: 31.2355, longitude: 121.4768 };
    const b = { latitude: 31.2049, longitude: 121.4426 };
    expect(distanceMeters(a, a)).toBe(0);
    expect(distanceMeters(a, b)).toBeCloseTo(distanceMeters(b, a), 6);
  });

  it('matches known distances', () => {
    // One degree of latitude is about 111.2 km on the mean sphere.
    expect(
      distanceMeters({ latitude: 0, longitude: 0 }, { latitude: 1, longitude: 0 }),
    ).toBeCloseTo(111_195, -1);
    // Shanghai People's Square to Beijing Tiananmen: about 1,067 km.
    const shanghai = { latitude: 31.2304, longitude: 121.4737 };
    const beijing = { latitude: 39.9087, longitude: 116.3975 };
    expect(distanceMeters(shanghai, beijing) / 1000).toBeGreaterThan(1060);
    expect(distanceMeters(shanghai, beijing) / 1000).toBeLessThan(1075);
    // Half the circumference for antipodal points.
    expect(
      distanceMeters({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 }),
    ).toBeCloseTo(Math.PI * 6_371_008.8, 0);
  });

  it('measures the demo distances a customer sees', () => {
    // Alice's home to the noodle house: a few hundred meters, inside its 5 km radius.
    const home = { latitude: 31.2304, longitude: 121.4737 };
    const noodleHouse = { latitude: 31.2355, longitude: 121.4768 };
    const meters = distanceMeters(home, noodleHouse);
    expect(meters).toBeGreaterThan(600);
    expect(meters).toBeLessThan(700);
  });

  it('crosses the antimeridian the short way', () => {
    const west = { latitude: 0, longitude: 179.99 };
    const east = { latitude: 0, longitude: -179.99 };
    expect(distanceMeters(west, east)).toBeLessThan(2300);
  });
});

describe('isValidPoint', () => {
  it('accepts WGS-84 ranges only', () => {
    expect(isValidPoint({ latitude: 90, longitude: -180 })).toBe(true);
    expect(isValidPoint({ latitude: 90.1, longitude: 0 })).toBe(false);
    expect(isValidPoint({ latitude: 0, longitude: 180.5 })).toBe(false);
    expect(isValidPoint({ latitude: NaN, longitude: 0 })).toBe(false);
  });
});

describe('boundingBox', () => {
  it('contains every point of the circle', () => {
    const center = { latitude: 31.23, longitude: 121.47 };
    const box = boundingBox(center, 5000);
    expect(box.longitudes).toHaveLength(1);
    for (let bearing = 0; bearing < 360; bearing += 5) {
      // Points at 4,999 m in every direction (flat approximation is fine at this scale).
      const radians = (bearing * Math.PI) / 180;
      const dLat = (4999 * Math.cos(radians)) / 111_195;
      const dLng =
        (4999 * Math.sin(radians)) / (111_195 * Math.cos((center.latitude * Math.PI) / 180));
      const p = { latitude: center.latitude + dLat, longitude: center.longitude + dLng };
      expect(distanceMeters(center, p)).toBeLessThanOrEqual(5000);
      expect(inBox(box, p)).toBe(true);
    }
    expect(inBox(box, { latitude: center.latitude + 0.05, longitude: center.longitude })).toBe(
      false,
    );
  });

  it('splits at the antimeridian', () => {
    const box = boundingBox({ latitude: 0, longitude: 179.99 }, 5000);
    expect(box.longitudes).toHaveLength(2);
    expect(inBox(box, { latitude: 0, longitude: -179.99 })).toBe(true);
    expect(inBox(box, { latitude: 0, longitude: 0 })).toBe(false);
  });

  it('takes every longitude when a pole is inside the circle', () => {
    const box = boundingBox({ latitude: 89.99, longitude: 10 }, 5000);
    expect(box.longitudes).toEqual([{ gte: -180, lte: 180 }]);
    expect(box.latitude.lte).toBe(90);
  });
});
