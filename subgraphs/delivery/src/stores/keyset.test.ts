import { describe, expect, it } from 'vitest';
import { encodeCursor } from '@sky/server-kit';
import {
  compareKeysets,
  groupPageRequests,
  keysetKey,
  MAX_TRACK_PAGE_SIZE,
  pageRequestKey,
  parseKeysetCursor,
  trackPageSize,
} from './keyset.ts';

const id = '0190f5a2-7c3e-7b1a-9d2e-1f2a3b4c5d6e';
const other = '0190f5a2-7c3e-7b1a-9d2e-1f2a3b4c5d6f';
const at = new Date('2026-11-25T08:30:00.123Z');

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
  return undefined;
};

describe('keyset cursors', () => {
  it('round-trips a (timestamp, id) key with millisecond precision', () => {
    expect(parseKeysetCursor(encodeCursor(keysetKey(at, id)))).toEqual({ at, id });
  });

  it('reads no cursor as the first page', () => {
    expect(parseKeysetCursor(null)).toBeNull();
    expect(parseKeysetCursor(undefined)).toBeNull();
  });

  it('refuses cursors it did not issue', () => {
    for (const bad of [
      'not-base64-json',
      encodeCursor([at.toISOString()]),
      encodeCursor([at.toISOString(), 'not-a-uuid']),
      encodeCursor(['yesterday', id]),
      encodeCursor([at.getTime(), id]),
      encodeCursor(['2026-11-25T08:30:00Z', id]),
      encodeCursor([at.toISOString(), id, 'extra']),
    ]) {
      expect(codeOf(() => parseKeysetCursor(bad))).toBe('BAD_USER_INPUT');
    }
  });
});

describe('trackPageSize', () => {
  it('defaults and accepts up to the track limit', () => {
    expect(trackPageSize({})).toBe(20);
    expect(trackPageSize({ first: 0 })).toBe(0);
    expect(trackPageSize({ first: MAX_TRACK_PAGE_SIZE })).toBe(MAX_TRACK_PAGE_SIZE);
  });

  it('refuses negative, fractional and oversized pages', () => {
    for (const first of [-1, 1.5, MAX_TRACK_PAGE_SIZE + 1]) {
      expect(codeOf(() => trackPageSize({ first }))).toBe('BAD_USER_INPUT');
    }
  });
});

describe('groupPageRequests', () => {
  it('puts siblings with the same page arguments into one group, once per parent', () => {
    const groups = groupPageRequests([
      { parentId: id, take: 21, after: null },
      { parentId: other, take: 21, after: null },
      { parentId: id, take: 21, after: null },
    ]);
    expect(groups).toEqual([{ take: 21, after: null, parentIds: [id, other] }]);
  });

  it('separates different sizes and cursors', () => {
    const groups = groupPageRequests([
      { parentId: id, take: 21, after: null },
      { parentId: id, take: 6, after: null },
      { parentId: id, take: 21, after: { at, id: other } },
    ]);
    expect(groups).toHaveLength(3);
  });

  it('keys requests by parent, size and cursor', () => {
    expect(pageRequestKey({ parentId: id, take: 21, after: null })).not.toBe(
      pageRequestKey({ parentId: id, take: 21, after: { at, id } }),
    );
  });
});

describe('compareKeysets', () => {
  it('orders by timestamp, then by id', () => {
    const earlier = new Date(at.getTime() - 1);
    const rows = [
      { at, id: other },
      { at: earlier, id: other },
      { at, id },
    ];
    expect(rows.sort(compareKeysets)).toEqual([
      { at: earlier, id: other },
      { at, id },
      { at, id: other },
    ]);
  });

  it('treats the same key as equal', () => {
    expect(compareKeysets({ at, id }, { at: new Date(at), id })).toBe(0);
  });
});
