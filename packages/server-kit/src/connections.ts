import { isUuid, type Keyset } from '@sky/database';
import { badUserInput } from '@sky/errors';

/**
 * Relay cursor connections over a stable order. A cursor is an opaque base64url encoding of the
 * sort key of the last row (here: the keyset values), so pages never skip or repeat rows when
 * rows are inserted meanwhile.
 */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export const MAX_PAGE_SIZE = 100;

/** `first` checked against the list's limit (most lists: 100; a delivery's track is longer). */
export function pageSize(
  args: PageArgs,
  { fallback = 20, max = MAX_PAGE_SIZE }: { fallback?: number; max?: number } = {},
): number {
  const first = args.first ?? fallback;
  // 1..max, as every connection's contract says: an empty page is never what a client means.
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw badUserInput(`"first" must be an integer between 1 and ${max}.`, 'first');
  }
  return first;
}

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): (string | number)[] | null {
  if (cursor === null || cursor === undefined) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.every((v) => typeof v === 'string' || typeof v === 'number')
    ) {
      return value;
    }
  } catch {
    // Fall through to the refusal below.
  }
  throw notOurCursor();
}

const notOurCursor = () => badUserInput('"after" is not a cursor this API issued.', 'after');

/**
 * The cursor key of a row in a (timestamp, id) keyset list: the instant as an ISO-8601 string
 * (milliseconds, the columns' precision) and the id. Every keyset list of the API uses it.
 */
export const keysetCursorKey = (at: Date, id: string): [string, string] => [at.toISOString(), id];

/** The cursor key of a row listed in creation order. */
export const createdAtCursorKey = (row: { createdAt: Date; id: string }): [string, string] =>
  keysetCursorKey(row.createdAt, row.id);

/** Reads an `after` cursor issued by `keysetCursorKey`; null for the first page. */
export function parseKeysetCursor(after: string | null | undefined): Keyset | null {
  const key = decodeCursor(after);
  if (key === null) return null;
  const [at, id] = key;
  if (key.length === 2 && typeof at === 'string' && typeof id === 'string' && isUuid(id)) {
    const date = new Date(at);
    if (!Number.isNaN(date.getTime()) && date.toISOString() === at) return { at: date, id };
  }
  throw notOurCursor();
}

/**
 * Builds a connection from `rows`, fetched with `take: size + 1` so that `hasNextPage` is known
 * without a count query.
 */
export function toConnection<Row>(
  rows: Row[],
  size: number,
  cursorKey: (row: Row) => readonly (string | number)[],
) {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ cursor: encodeCursor(cursorKey(node)), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
