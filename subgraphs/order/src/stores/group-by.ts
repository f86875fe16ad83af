/**
 * Groups child rows under their parents' ids for a DataLoader batch: one array per key, in the
 * keys' order (empty when a parent has no children), keeping the rows' own order inside a group.
 */
export function groupBy<Row>(
  keys: readonly string[],
  rows: readonly Row[],
  keyOf: (row: Row) => string,
): Row[][] {
  const groups = new Map<string, Row[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key)!);
}
