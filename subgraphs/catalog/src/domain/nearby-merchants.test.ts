import { describe, expect, it } from 'vitest';
import { encodeCursor } from '@sky/server-kit';
import {
  compareNearbyKeys,
  nearbyCursorKey,
  rankNearbyMerchants,
  readNearbyCursor,
} from './nearby-merchants.ts';

const ID_A = '00000000-0000-4000-a000-00000000000a';
const ID_B = '00000000-0000-4000-a000-00000000000b';
const ID_C = '00000000-0000-4000-a000-00000000000c';
const ID_D = '00000000-0000-4000-a000-00000000000d';

describe('nearby ordering', () => {
  it('puts open first, then nearer, then lower id', () => {
    const keys = [
      { closedRank: 1 as const, distanceMeters: 10, id: ID_A },
      { closedRank: 0 as const, distanceMeters: 500, id: ID_B },
      { closedRank: 0 as const, distanceMeters: 100, id: ID_D },
      { closedRank: 0 as const, distanceMeters: 100, id: ID_C },
    ];
    expect([...keys].sort(compareNearbyKeys).map((k) => k.id)).toEqual([ID_C, ID_D, ID_B, ID_A]);
  });

  it('round-trips nearby cursors and refuses others', () => {
    const key = { closedRank: 0 as const, distanceMeters: 1234.5678901234, id: ID_A };
    expect(readNearbyCursor(encodeCursor(nearbyCursorKey(key)))).toEqual(key);
    expect(readNearbyCursor(null)).toBeNull();
    expect(() => readNearbyCursor(encodeCursor([2, 1, ID_A]))).toThrow();
    expect(() => readNearbyCursor(encodeCursor([0, -1, ID_A]))).toThrow();
    expect(() => readNearbyCursor(encodeCursor([1000, ID_A]))).toThrow();
  });

  it('keeps merchants within their radius, ranks them and resumes after a cursor', () => {
    const destination = { latitude: 31.23, longitude: 121.47 };
    // About 1.1 km per 0.01 degree of latitude.
    const merchants = [
      { id: ID_A, latitude: 31.24, longitude: 121.47, deliveryRadiusMeters: 5000, open: false },
      { id: ID_B, latitude: 31.25, longitude: 121.47, deliveryRadiusMeters: 5000, open: true },
      { id: ID_C, latitude: 31.235, longitude: 121.47, deliveryRadiusMeters: 5000, open: true },
      { id: ID_D, latitude: 31.3, longitude: 121.47, deliveryRadiusMeters: 5000, open: true },
    ];
    const ranked = rankNearbyMerchants(merchants, destination, (m) => m.open);
    expect(ranked.map((r) => r.merchant.id)).toEqual([ID_C, ID_B, ID_A]);
    expect(ranked[0]!.key.distanceMeters).toBeCloseTo(556, -1);
    const rest = rankNearbyMerchants(merchants, destination, (m) => m.open, ranked[0]!.key);
    expect(rest.map((r) => r.merchant.id)).toEqual([ID_B, ID_A]);
  });
});
