import DataLoader from 'dataloader';
import { isUuid } from '@sky/database';
import { groupPageRequests, pageRequestKey, type PageRequest } from './keyset.ts';

/**
 * Like `alignById` from @sky/database, for loaders keyed by another unique column (orderId,
 * userId, activeRiderId): rows ordered like `keys`, gaps filled with null.
 */
export function alignByKey<Row>(
  keys: readonly string[],
  rows: Row[],
  keyOf: (row: Row) => string | null,
): (Row | null)[] {
  const byKey = new Map<string, Row>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key !== null) byKey.set(key, row);
  }
  return keys.map((key) => byKey.get(key) ?? null);
}

/**
 * A per-request loader of rows by a unique UUID column: one SELECT for every key asked for in the
 * same tick. Keys that are not UUIDs cannot match and are not sent (PostgreSQL would reject them).
 */
export function uniqueLoader<Row>(
  fetch: (keys: string[]) => Promise<Row[]>,
  keyOf: (row: Row) => string | null,
): DataLoader<string, Row | null> {
  return new DataLoader<string, Row | null>(async (keys) => {
    const valid = keys.filter(isUuid);
    const rows = valid.length ? await fetch(valid) : [];
    return alignByKey(keys, rows, keyOf);
  });
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
    after: PageRequest['after'];
  }) => Promise<Row[]>,
  parentOf: (row: Row) => string | null,
  compare: (a: Row, b: Row) => number,
): DataLoader<PageRequest, Row[], string> {
  return new DataLoader<PageRequest, Row[], string>(
    async (requests) => {
      const valid = requests.filter((request) => isUuid(request.parentId));
      const groups = groupPageRequests(valid);
      const results = new Map<string, Row[]>();
      await Promise.all(
        groups.map(async (group) => {
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
