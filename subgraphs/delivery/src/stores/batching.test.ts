import { describe, expect, it } from 'vitest';
import { alignByKey, pageLoader, uniqueLoader } from './batching.ts';

const a = '0190f5a2-7c3e-7b1a-9d2e-00000000000a';
const b = '0190f5a2-7c3e-7b1a-9d2e-00000000000b';
const c = '0190f5a2-7c3e-7b1a-9d2e-00000000000c';

describe('alignByKey', () => {
  it('orders rows like the keys and fills gaps with null', () => {
    const rows = [
      { id: 1, orderId: b },
      { id: 2, orderId: a },
    ];
    expect(alignByKey([a, c, b], rows, (r) => r.orderId)).toEqual([rows[1], null, rows[0]]);
  });

  it('ignores rows whose key column is null', () => {
    expect(alignByKey([a], [{ activeRiderId: null }], (r) => r.activeRiderId)).toEqual([null]);
  });
});

describe('uniqueLoader', () => {
  it('makes one fetch per tick and never sends ids that are not UUIDs', async () => {
    const calls: string[][] = [];
    const loader = uniqueLoader(
      async (keys) => {
        calls.push(keys);
        return keys.map((userId) => ({ userId }));
      },
      (row) => row.userId,
    );
    const results = await Promise.all([loader.load(a), loader.load('nope'), loader.load(b)]);
    expect(results).toEqual([{ userId: a }, null, { userId: b }]);
    expect(calls).toEqual([[a, b]]);
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
