import { isUuid } from '@sky/database';
import { badUserInput } from '@sky/errors';
import { distanceMeters, type Point } from '@sky/geo';
import { decodeCursor } from '@sky/server-kit';

/**
 * `merchants(near:)` order: open merchants first, then by distance, then by id. The cursor holds
 * that whole key.
 */
export interface NearbyKey {
  /** 0 when the merchant was open when the page was read, 1 when closed. */
  closedRank: 0 | 1;
  distanceMeters: number;
  id: string;
}

export function compareNearbyKeys(a: NearbyKey, b: NearbyKey): number {
  if (a.closedRank !== b.closedRank) return a.closedRank - b.closedRank;
  if (a.distanceMeters !== b.distanceMeters) return a.distanceMeters - b.distanceMeters;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function nearbyCursorKey(key: NearbyKey): [number, number, string] {
  return [key.closedRank, key.distanceMeters, key.id];
}

export function readNearbyCursor(after: string | null | undefined): NearbyKey | null {
  const key = decodeCursor(after);
  if (key === null) return null;
  const [closedRank, distance, id] = key;
  if (
    key.length !== 3 ||
    (closedRank !== 0 && closedRank !== 1) ||
    typeof distance !== 'number' ||
    !Number.isFinite(distance) ||
    distance < 0 ||
    typeof id !== 'string' ||
    !isUuid(id)
  ) {
    throw badUserInput('"after" is not a cursor this API issued.', 'after');
  }
  return { closedRank, distanceMeters: distance, id };
}

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
