import { describe, expect, it } from 'vitest';
import { groupBy } from './group-by.ts';

describe('groupBy', () => {
  it('returns one group per key, in key order, keeping row order', () => {
    const rows = [
      { orderId: 'b', n: 1 },
      { orderId: 'a', n: 2 },
      { orderId: 'b', n: 3 },
    ];
    expect(groupBy(['a', 'c', 'b'], rows, (r) => r.orderId)).toEqual([
      [{ orderId: 'a', n: 2 }],
      [],
      [
        { orderId: 'b', n: 1 },
        { orderId: 'b', n: 3 },
      ],
    ]);
  });

  it('ignores rows of keys that were not asked for', () => {
    expect(groupBy(['a'], [{ k: 'z' }], (r) => r.k)).toEqual([[]]);
  });
});
