import { describe, expect, it } from 'vitest';
import type { Keyset } from '@sky/database';
import { encodeCursor, parseKeysetCursor } from '@sky/server-kit';
import { orderCursorKey, orderPageWhere } from './order-pages.ts';

const idA = '0190a000-0000-4000-a000-00000000000a';
const idB = '0190a000-0000-4000-a000-00000000000b';
const idC = '0190a000-0000-4000-a000-00000000000c';

/** Evaluates the keyset part of the WHERE the way PostgreSQL would (placedAt, then id, descending). */
function isAfter(row: { placedAt: Date; id: string }, cursor: Keyset): boolean {
  const where = orderPageWhere({}, cursor);
  const [keyset] = (where.AND as { OR: unknown[] }[]).slice(-1);
  const [older, sameInstant] = keyset!.OR as [
    { placedAt: { lt: Date } },
    { placedAt: Date; id: { lt: string } },
  ];
  return (
    row.placedAt < older.placedAt.lt ||
    (row.placedAt.getTime() === sameInstant.placedAt.getTime() && row.id < sameInstant.id.lt)
  );
}

describe('order list cursors', () => {
  it('round-trips the keyset of an order through the API cursor', () => {
    const order = { placedAt: new Date('2026-11-25T08:30:00.123Z'), id: idA };
    expect(parseKeysetCursor(encodeCursor(orderCursorKey(order)))).toEqual({
      at: order.placedAt,
      id: order.id,
    });
  });
});

describe('orderPageWhere', () => {
  it('combines the filter with AND and adds no keyset on the first page', () => {
    const from = new Date('2026-11-01T00:00:00.000Z');
    const to = new Date('2026-12-01T00:00:00.000Z');
    expect(
      orderPageWhere(
        { merchantId: idA, status: 'CONFIRMED', placedFrom: from, placedBefore: to },
        null,
      ),
    ).toEqual({
      AND: [
        { merchantId: idA },
        { status: 'CONFIRMED' },
        { placedAt: { gte: from } },
        { placedAt: { lt: to } },
      ],
    });
    expect(orderPageWhere({ customerId: idB, status: null }, null)).toEqual({
      AND: [{ customerId: idB }],
    });
  });

  it('continues strictly after the cursor in (placedAt desc, id desc) order', () => {
    const t = new Date('2026-11-25T08:30:00.000Z');
    const earlier = new Date(t.getTime() - 1);
    const later = new Date(t.getTime() + 1);
    const cursor = { at: t, id: idB };
    // Same instant: only smaller ids follow.
    expect(isAfter({ placedAt: t, id: idA }, cursor)).toBe(true);
    expect(isAfter({ placedAt: t, id: idB }, cursor)).toBe(false);
    expect(isAfter({ placedAt: t, id: idC }, cursor)).toBe(false);
    // Older orders follow whatever their id; newer ones never do.
    expect(isAfter({ placedAt: earlier, id: idC }, cursor)).toBe(true);
    expect(isAfter({ placedAt: later, id: idA }, cursor)).toBe(false);
  });
});
