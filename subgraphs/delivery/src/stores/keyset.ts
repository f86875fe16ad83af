import { isUuid } from '@sky/database';
import { badUserInput } from '@sky/errors';
import { decodeCursor, type PageArgs } from '@sky/server-kit';

/**
 * Position in a list ordered by (timestamp, id): the connections of this subgraph (a rider's
 * deliveries newest first, a delivery's track oldest first) page by this pair, so rows that
 * share a timestamp still have one stable order.
 */
export interface Keyset {
  at: Date;
  id: string;
}

/** The cursor key of a row (an ISO timestamp and the id); `toConnection` encodes it. */
export const keysetKey = (at: Date, id: string): readonly [string, string] => [
  at.toISOString(),
  id,
];

/** Reads an `after` cursor issued by `keysetKey`; anything else is BAD_USER_INPUT. */
export function parseKeysetCursor(after: string | null | undefined): Keyset | null {
  const key = decodeCursor(after);
  if (key === null) return null;
  const [at, id] = key;
  if (key.length === 2 && typeof at === 'string' && typeof id === 'string' && isUuid(id)) {
    const date = new Date(at);
    if (!Number.isNaN(date.getTime()) && date.toISOString() === at) return { at: date, id };
  }
  throw badUserInput('"after" is not a cursor this API issued.', 'after');
}

/** The longest page of a delivery's track: a whole route fits in a few pages. */
export const MAX_TRACK_PAGE_SIZE = 500;

/** `first` of `Delivery.track`, checked against its own (larger) limit. */
export function trackPageSize(args: PageArgs, fallback = 20): number {
  const first = args.first ?? fallback;
  if (!Number.isInteger(first) || first < 0 || first > MAX_TRACK_PAGE_SIZE) {
    throw badUserInput(`"first" must be an integer between 0 and ${MAX_TRACK_PAGE_SIZE}.`, 'first');
  }
  return first;
}

/** One page request of a per-parent list: what the batched page loaders are keyed by. */
export interface PageRequest {
  parentId: string;
  /** Rows to fetch: the page size plus one, so `hasNextPage` needs no count query. */
  take: number;
  after: Keyset | null;
}

/** DataLoader cache key of a page request. */
export const pageRequestKey = (request: PageRequest): string =>
  `${request.parentId}|${request.take}|${request.after ? `${request.after.at.toISOString()}|${request.after.id}` : ''}`;

/**
 * Groups page requests that share `take` and `after`, so each group is one SQL statement (the
 * usual case, a list field under a list of parents, is exactly one group).
 */
export function groupPageRequests(
  requests: readonly PageRequest[],
): { take: number; after: Keyset | null; parentIds: string[] }[] {
  const groups = new Map<string, { take: number; after: Keyset | null; parentIds: string[] }>();
  for (const request of requests) {
    const key = pageRequestKey({ ...request, parentId: '' });
    const group = groups.get(key) ?? { take: request.take, after: request.after, parentIds: [] };
    if (!group.parentIds.includes(request.parentId)) group.parentIds.push(request.parentId);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** Ascending (timestamp, id) order, the same order PostgreSQL gives `ORDER BY ts, id` on UUIDs. */
export function compareKeysets(a: Keyset, b: Keyset): number {
  const byTime = a.at.getTime() - b.at.getTime();
  if (byTime !== 0) return byTime;
  // Lower-case hexadecimal UUID strings sort like PostgreSQL's byte-wise uuid comparison.
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
