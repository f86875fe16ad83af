import { isUuid } from '@sky/contracts';
import DataLoader from 'dataloader';

/**
 * Per-request DataLoaders over UUID keys, and the helpers that turn the rows of one batched query
 * into DataLoader answers (one per key, in the keys' order). Keys that are not UUIDs cannot match
 * anything, so they are never sent: PostgreSQL would reject the whole batch.
 */

export { isUuid };

/** Orders rows to match `ids` and fills the gaps with null, as DataLoader requires. */
export function alignById<Row extends { id: string }>(
  ids: readonly string[],
  rows: readonly Row[],
): (Row | null)[] {
  return alignByKey(ids, rows, (row) => row.id);
}

/** `alignById` for another unique column (orderId, userId, activeRiderId); rows without one skip. */
export function alignByKey<Row>(
  keys: readonly string[],
  rows: readonly Row[],
  keyOf: (row: Row) => string | null,
): (Row | null)[] {
  const byKey = new Map<string, Row>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key !== null) byKey.set(key, row);
  }
  return keys.map((key) => byKey.get(key) ?? null);
}

/** All rows of each key, keeping the rows' own order (the query's ORDER BY); empty when none. */
export function groupByKey<Row>(
  keys: readonly string[],
  rows: readonly Row[],
  keyOf: (row: Row) => string,
): Row[][] {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return keys.map((key) => groups.get(key) ?? []);
}

/** The first row of each key (the newest when the rows are ordered newest first), or null. */
export function firstByKey<Row>(
  keys: readonly string[],
  rows: readonly Row[],
  keyOf: (row: Row) => string,
): (Row | null)[] {
  return groupByKey(keys, rows, keyOf).map((group) => group[0] ?? null);
}

/** Runs `fetch` with the keys that can exist (UUIDs); no query at all when none can. */
async function fetchValid<Row>(
  keys: readonly string[],
  fetch: (keys: string[]) => Promise<Row[]>,
): Promise<Row[]> {
  const valid = [...new Set(keys.filter(isUuid))];
  return valid.length > 0 ? fetch(valid) : [];
}

/** Rows by id: one query (`fetch`) for every id asked for in the same tick; null when unknown. */
export function rowsById<Row extends { id: string }>(
  fetch: (ids: string[]) => Promise<Row[]>,
): DataLoader<string, Row | null> {
  return new DataLoader(async (ids) => alignById(ids, await fetchValid(ids, fetch)));
}

/** Rows by another unique UUID column (`keyOf`), one query per tick; null when unknown. */
export function rowsByKey<Row>(
  fetch: (keys: string[]) => Promise<Row[]>,
  keyOf: (row: Row) => string | null,
): DataLoader<string, Row | null> {
  return new DataLoader(async (keys) => alignByKey(keys, await fetchValid(keys, fetch), keyOf));
}

/** The child rows of each parent, one query per tick, in the order `fetch` returned them. */
export function rowsByParent<Row>(
  fetch: (parentIds: string[]) => Promise<Row[]>,
  parentOf: (row: Row) => string,
): DataLoader<string, Row[]> {
  return new DataLoader(async (parentIds) =>
    groupByKey(parentIds, await fetchValid(parentIds, fetch), parentOf),
  );
}

/** The first child row of each parent as `fetch` orders them (e.g. the newest), or null. */
export function firstRowByParent<Row>(
  fetch: (parentIds: string[]) => Promise<Row[]>,
  parentOf: (row: Row) => string,
): DataLoader<string, Row | null> {
  return new DataLoader(async (parentIds) =>
    firstByKey(parentIds, await fetchValid(parentIds, fetch), parentOf),
  );
}
