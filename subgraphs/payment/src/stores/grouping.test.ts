import { describe, expect, it } from 'vitest';
import { firstByKey, groupByKey } from './grouping.ts';

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
