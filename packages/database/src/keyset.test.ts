import { describe, expect, it } from 'vitest';
import {
  compareKeysets,
  groupPageRequests,
  keysetAfter,
  pageLoader,
  pageRequestKey,
} from './keyset.ts';

const id = '0190f5a2-7c3e-7b1a-9d2e-1f2a3b4c5d6e';
const other = '0190f5a2-7c3e-7b1a-9d2e-1f2a3b4c5d6f';
const at = new Date('2026-11-25T08:30:00.123Z');
const a = '0190f5a2-7c3e-7b1a-9d2e-00000000000a';
const b = '0190f5a2-7c3e-7b1a-9d2e-00000000000b';
const c = '0190f5a2-7c3e-7b1a-9d2e-00000000000c';

describe('keysetAfter', () => {
  it('continues strictly after the key in the list order', () => {
    expect(keysetAfter('placedAt', { at, id }, 'desc')).toEqual({
      OR: [{ placedAt: { lt: at } }, { placedAt: at, id: { lt: id } }],
    });
    expect(keysetAfter('createdAt', { at, id }, 'asc')).toEqual({
      OR: [{ createdAt: { gt: at } }, { createdAt: at, id: { gt: id } }],
    });
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

describe('pageLoader', () => {
  interface Row {
    parent: string;
    n: number;
  }
  it('answers siblings with equal page arguments from one fetch, split and sorted per parent', async () => {
    const groups: unknown[] = [];
    const loader = pageLoader<Row>(
      async (group) => {
        groups.push(group);
        return [
          { parent: b, n: 2 },
          { parent: a, n: 3 },
          { parent: a, n: 1 },
        ];
      },
      (row) => row.parent,
      (x, y) => x.n - y.n,
    );
    const [pageA, pageB, pageC] = await Promise.all([
      loader.load({ parentId: a, take: 3, after: null }),
      loader.load({ parentId: b, take: 3, after: null }),
      loader.load({ parentId: c, take: 3, after: null }),
    ]);
    expect(groups).toEqual([{ take: 3, after: null, parentIds: [a, b, c] }]);
    expect(pageA!.map((r) => r.n)).toEqual([1, 3]);
    expect(pageB!.map((r) => r.n)).toEqual([2]);
    expect(pageC).toEqual([]);
  });

  it('answers an invalid parent id with an empty page without fetching', async () => {
    let fetched = false;
    const loader = pageLoader<Row>(
      async () => {
        fetched = true;
        return [];
      },
      (row) => row.parent,
      () => 0,
    );
    expect(await loader.load({ parentId: 'x', take: 5, after: null })).toEqual([]);
    expect(fetched).toBe(false);
  });
});
