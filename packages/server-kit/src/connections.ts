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

export function pageSize(args: PageArgs, fallback = 20): number {
  const first = args.first ?? fallback;
  // 1..100, as every connection's contract says: an empty page is never what a client means.
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`"first" must be an integer between 1 and ${MAX_PAGE_SIZE}.`, 'first');
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
  throw badUserInput('"after" is not a cursor this API issued.', 'after');
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
