import { isUuid } from '@sky/database';
import { badUserInput } from '@sky/errors';
import { decodeCursor } from '@sky/server-kit';

/**
 * Keyset pagination over (createdAt, id): the cursor holds the last row's creation time (epoch
 * milliseconds, the precision of the column) and id, so a page never skips or repeats a row.
 */
export interface CreatedAtKey {
  createdAt: Date;
  id: string;
}

export type SortDirection = 'asc' | 'desc';

const notOurCursor = () => badUserInput('"after" is not a cursor this API issued.', 'after');

export function createdAtCursorKey(row: CreatedAtKey): [number, string] {
  return [row.createdAt.getTime(), row.id];
}

/** Reads an `after` cursor issued by `createdAtCursorKey`; null when there is none. */
export function readCreatedAtCursor(after: string | null | undefined): CreatedAtKey | null {
  const key = decodeCursor(after);
  if (key === null) return null;
  const [millis, id] = key;
  if (key.length !== 2 || !Number.isSafeInteger(millis) || typeof id !== 'string' || !isUuid(id)) {
    throw notOurCursor();
  }
  return { createdAt: new Date(millis as number), id };
}

/** The Prisma `where` clause for the rows after `key` in (createdAt, id) order. */
export function createdAtAfter(key: CreatedAtKey, direction: SortDirection) {
  const beyond = direction === 'asc' ? 'gt' : 'lt';
  return {
    OR: [
      { createdAt: { [beyond]: key.createdAt } },
      { createdAt: key.createdAt, id: { [beyond]: key.id } },
    ],
  };
}

/** The matching Prisma `orderBy`. */
export function createdAtOrder(direction: SortDirection) {
  return [{ createdAt: direction }, { id: direction }];
}

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
    throw notOurCursor();
  }
  return { closedRank, distanceMeters: distance, id };
}
