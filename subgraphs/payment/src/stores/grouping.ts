/**
 * Helpers that turn the rows of one batched query into DataLoader answers, one per key, in the
 * order of the keys.
 */

/** All rows of each key, keeping the rows' own order (the query's ORDER BY). */
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
  const first = new Map<string, Row>();
  for (const row of rows) {
    const key = keyOf(row);
    if (!first.has(key)) first.set(key, row);
  }
  return keys.map((key) => first.get(key) ?? null);
}
