import DataLoader from 'dataloader';
import { alignById, isUuid } from '@sky/database';

/**
 * A per-request loader of rows by id: one query (`fetch`) for every id asked for in the same
 * tick, answers in the order of the ids, null for ids that match nothing. Ids that are not
 * UUIDs cannot exist, so they never reach PostgreSQL (which would reject the whole batch).
 */
export function rowsById<Row extends { id: string }>(
  fetch: (ids: string[]) => Promise<Row[]>,
): DataLoader<string, Row | null> {
  return new DataLoader<string, Row | null>(async (ids) => {
    const valid = ids.filter(isUuid);
    return alignById(ids, valid.length > 0 ? await fetch(valid) : []);
  });
}

/**
 * A per-request loader of child rows by parent id: one query for all parents asked for in the
 * same tick; each parent gets its rows in the order `fetch` returned them.
 */
export function rowsByParent<Row>(
  fetch: (parentIds: string[]) => Promise<Row[]>,
  parentOf: (row: Row) => string,
): DataLoader<string, Row[]> {
  return new DataLoader<string, Row[]>(async (parentIds) => {
    const rows = await fetch([...parentIds]);
    const groups = new Map<string, Row[]>(parentIds.map((id) => [id, []]));
    for (const row of rows) groups.get(parentOf(row))?.push(row);
    return parentIds.map((id) => groups.get(id)!);
  });
}
