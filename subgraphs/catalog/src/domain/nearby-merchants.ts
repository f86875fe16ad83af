import { distanceMeters, type Point } from '@sky/geo';
import { compareNearbyKeys, type NearbyKey } from './pagination.ts';

/** What ranking needs of a merchant. */
export interface RankableMerchant extends Point {
  id: string;
  deliveryRadiusMeters: number;
}

export interface RankedMerchant<M> {
  merchant: M;
  key: NearbyKey;
}

/**
 * The merchants that deliver to `destination` (distance at most their radius), open ones first,
 * then nearest first, then by id; only those after `after` when a cursor is given.
 */
export function rankNearbyMerchants<M extends RankableMerchant>(
  merchants: readonly M[],
  destination: Point,
  isOpen: (merchant: M) => boolean,
  after: NearbyKey | null = null,
): RankedMerchant<M>[] {
  const ranked: RankedMerchant<M>[] = [];
  for (const merchant of merchants) {
    const distance = distanceMeters(merchant, destination);
    if (distance > merchant.deliveryRadiusMeters) continue;
    const key: NearbyKey = {
      closedRank: isOpen(merchant) ? 0 : 1,
      distanceMeters: distance,
      id: merchant.id,
    };
    if (after && compareNearbyKeys(key, after) <= 0) continue;
    ranked.push({ merchant, key });
  }
  return ranked.sort((a, b) => compareNearbyKeys(a.key, b.key));
}
