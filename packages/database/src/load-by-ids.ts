/** Orders rows to match `ids` and fills the gaps with null, as DataLoader requires. */
export function alignById<Row extends { id: string }>(
  ids: readonly string[],
  rows: Row[],
): (Row | null)[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids that are not UUIDs cannot exist; filtering them keeps PostgreSQL from rejecting the batch. */
export const isUuid = (id: string) => UUID_PATTERN.test(id);
