import { describe, expect, it } from 'vitest';
import {
  encodeCursor,
  keysetCursorKey,
  MAX_PAGE_SIZE,
  pageSize,
  parseKeysetCursor,
} from './connections.ts';

const id = '0190f5a2-7c3e-7b1a-9d2e-1f2a3b4c5d6e';
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
    expect(parseKeysetCursor(encodeCursor(keysetCursorKey(at, id)))).toEqual({ at, id });
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

describe('pageSize', () => {
  it('defaults and accepts up to the list’s limit', () => {
    expect(pageSize({})).toBe(20);
    expect(pageSize({ first: 1 })).toBe(1);
    expect(pageSize({ first: MAX_PAGE_SIZE })).toBe(MAX_PAGE_SIZE);
    expect(pageSize({ first: 500 }, { max: 500 })).toBe(500);
  });

  it('refuses empty, negative, fractional and oversized pages', () => {
    for (const first of [0, -1, 1.5, MAX_PAGE_SIZE + 1]) {
      expect(codeOf(() => pageSize({ first }))).toBe('BAD_USER_INPUT');
    }
    expect(codeOf(() => pageSize({ first: 501 }, { max: 500 }))).toBe('BAD_USER_INPUT');
  });
});
