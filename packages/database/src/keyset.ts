import DataLoader from 'dataloader';
import { isUuid } from './loaders.ts';

/**
 * Keyset pagination over (timestamp, id): the id breaks ties between rows of the same
 * millisecond, so the order is total and pages never skip or repeat a row. The API encodes a
 * keyset as an opaque cursor (@sky/server-kit `keysetCursor`); this is the database's side.
 */
export interface Keyset {
  at: Date;
  id: string;
}

export type SortDirection = 'asc' | 'desc';

/** Ascending (timestamp, id) order, the order PostgreSQL gives `ORDER BY ts, id` on UUIDs. */
export function compareKeysets(a: Keyset, b: Keyset): number {
  const byTime = a.at.getTime() - b.at.getTime();
  if (byTime !== 0) return byTime;
  // Lower-case hexadecimal UUID strings sort like PostgreSQL's byte-wise uuid comparison.
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The Prisma `where` of the rows after `after` in (`field`, id) order. */
export function keysetAfter<Field extends string>(
  field: Field,
  after: Keyset,
  direction: SortDirection,
) {
  const beyond = direction === 'asc' ? 'gt' : 'lt';
  return {
    OR: [
      { [field]: { [beyond]: after.at } } as Record<Field, { gt: Date } | { lt: Date }>,
      { [field]: after.at, id: { [beyond]: after.id } } as Record<Field, Date> & {
        id: { gt: string } | { lt: string };
      },
    ],
  };
}

/** The matching Prisma `orderBy`. */
export const keysetOrder = <Field extends string>(field: Field, direction: SortDirection) =>
  [{ [field]: direction } as Record<Field, SortDirection>, { id: direction }] as const;

/** One page request of a per-parent list: what a batched page loader is keyed by. */
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

/**
 * A per-request loader of one page of a per-parent list (a rider's deliveries, a delivery's
 * track). Requests made in the same tick with the same page arguments are answered by one SQL
 * statement (`fetchGroup`); the rows are then split by parent and put in the list's order.
 */
export function pageLoader<Row>(
  fetchGroup: (group: {
    parentIds: string[];
    take: number;
    after: Keyset | null;
  }) => Promise<Row[]>,
  parentOf: (row: Row) => string | null,
  compare: (a: Row, b: Row) => number,
): DataLoader<PageRequest, Row[], string> {
  return new DataLoader<PageRequest, Row[], string>(
    async (requests) => {
      const valid = requests.filter((request) => isUuid(request.parentId));
      const results = new Map<string, Row[]>();
      await Promise.all(
        groupPageRequests(valid).map(async (group) => {
          const rows = await fetchGroup(group);
          for (const parentId of group.parentIds) {
            const key = pageRequestKey({ parentId, take: group.take, after: group.after });
            results.set(key, rows.filter((row) => parentOf(row) === parentId).sort(compare));
          }
        }),
      );
      return requests.map((request) => results.get(pageRequestKey(request)) ?? []);
    },
    { cacheKeyFn: pageRequestKey },
  );
}
