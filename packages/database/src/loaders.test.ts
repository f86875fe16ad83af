import { describe, expect, it } from 'vitest';
import {
  alignByKey,
  firstByKey,
  groupByKey,
  rowsById,
  rowsByKey,
  rowsByParent,
} from './loaders.ts';

const a = '0190f5a2-7c3e-7b1a-9d2e-00000000000a';
const b = '0190f5a2-7c3e-7b1a-9d2e-00000000000b';
const c = '0190f5a2-7c3e-7b1a-9d2e-00000000000c';

interface Row {
  id: string;
  parent: string;
}

const rows: Row[] = [
  { id: 'r1', parent: 'b' },
  { id: 'r2', parent: 'a' },
  { id: 'r3', parent: 'b' },
];

describe('groupByKey', () => {
  it('answers in key order, keeps row order inside a group and fills gaps with empty lists', () => {
    expect(groupByKey(['a', 'c', 'b'], rows, (r) => r.parent)).toEqual([
      [{ id: 'r2', parent: 'a' }],
      [],
      [
        { id: 'r1', parent: 'b' },
        { id: 'r3', parent: 'b' },
      ],
    ]);
  });

  it('answers each occurrence of a repeated key', () => {
    const [first, second] = groupByKey(['a', 'a'], rows, (r) => r.parent);
    expect(first).toEqual(second);
  });
});

describe('firstByKey', () => {
  it('keeps the first row of each key and answers null for keys without rows', () => {
    expect(firstByKey(['b', 'x', 'a'], rows, (r) => r.parent)).toEqual([
      { id: 'r1', parent: 'b' },
      null,
      { id: 'r2', parent: 'a' },
    ]);
  });
});

describe('groupByKey with keys that were not asked for', () => {
  it('ignores their rows', () => {
    expect(groupByKey(['a'], [{ k: 'z' }], (r) => r.k)).toEqual([[]]);
  });
});

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

describe('rowsByKey', () => {
  it('makes one fetch per tick and never sends ids that are not UUIDs', async () => {
    const calls: string[][] = [];
    const loader = rowsByKey(
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

describe('rowsById and rowsByParent', () => {
  it('fetch once per tick with the valid, distinct ids and answer in key order', async () => {
    const calls: string[][] = [];
    const byId = rowsById(async (ids) => {
      calls.push(ids);
      return ids.map((id) => ({ id }));
    });
    expect(await Promise.all([byId.load(b), byId.load('nope'), byId.load(a)])).toEqual([
      { id: b },
      null,
      { id: a },
    ]);
    const children = rowsByParent(
      async (parentIds) => {
        calls.push(parentIds);
        return [
          { parent: a, n: 1 },
          { parent: a, n: 2 },
        ];
      },
      (row) => row.parent,
    );
    expect(await Promise.all([children.load(a), children.load(c)])).toEqual([
      [
        { parent: a, n: 1 },
        { parent: a, n: 2 },
      ],
      [],
    ]);
    expect(calls).toEqual([
      [b, a],
      [a, c],
    ]);
  });
});
