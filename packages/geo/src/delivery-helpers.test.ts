import { describe, expect, it } from 'vitest';
import { distanceMeters, interpolate, pointOrNull } from './index.ts';

describe('distanceMeters', () => {
  it('is zero for the same point', () => {
    const p = { latitude: 31.2355, longitude: 121.4768 };
    expect(distanceMeters(p, p)).toBe(0);
  });

  it('measures one degree of latitude as about 111.2 km', () => {
    const d = distanceMeters({ latitude: 0, longitude: 0 }, { latitude: 1, longitude: 0 });
    expect(d).toBeGreaterThan(111_100);
    expect(d).toBeLessThan(111_300);
  });

  it('shrinks a degree of longitude with latitude (cos 60° = 0.5)', () => {
    const atEquator = distanceMeters({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 1 });
    const at60 = distanceMeters({ latitude: 60, longitude: 0 }, { latitude: 60, longitude: 1 });
    expect(at60 / atEquator).toBeCloseTo(0.5, 2);
  });

  it('is symmetric', () => {
    const a = { latitude: 31.2355, longitude: 121.4768 };
    const b = { latitude: 31.2304, longitude: 121.4737 };
    expect(distanceMeters(a, b)).toBeCloseTo(distanceMeters(b, a), 9);
  });

  it('matches a known city distance (Noodle House to Alice home, about 640 m)', () => {
    const d = distanceMeters(
      { latitude: 31.2355, longitude: 121.4768 },
      { latitude: 31.2304, longitude: 121.4737 },
    );
    expect(d).toBeGreaterThan(620);
    expect(d).toBeLessThan(660);
  });

  it('stays finite for antipodal points (half the circumference)', () => {
    const d = distanceMeters({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 });
    expect(d).toBeCloseTo(Math.PI * 6_371_008.8, 0);
  });
});

describe('pointOrNull', () => {
  it('needs both coordinates', () => {
    expect(pointOrNull(1, 2)).toEqual({ latitude: 1, longitude: 2 });
    expect(pointOrNull(null, 2)).toBeNull();
    expect(pointOrNull(1, null)).toBeNull();
  });

  it('keeps zero coordinates', () => {
    expect(pointOrNull(0, 0)).toEqual({ latitude: 0, longitude: 0 });
  });
});

describe('interpolate', () => {
  const a = { latitude: 10, longitude: 20 };
  const b = { latitude: 20, longitude: 40 };
  it('returns the ends at 0 and 1 and the midpoint at 0.5', () => {
    expect(interpolate(a, b, 0)).toEqual(a);
    expect(interpolate(a, b, 1)).toEqual(b);
    expect(interpolate(a, b, 0.5)).toEqual({ latitude: 15, longitude: 30 });
  });
});
