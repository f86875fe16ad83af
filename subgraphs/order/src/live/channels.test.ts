import { describe, expect, it } from 'vitest';
import { reminderNotices, statusChangeNotices } from './channels.ts';

const order = { id: 'o', merchantId: 'm', version: 3 };
const at = new Date('2026-11-25T08:00:00.000Z');

describe('live notices', () => {
  it('announces every status change on the order channel', () => {
    expect(
      statusChangeNotices(
        { status: 'CONFIRMED' },
        { ...order, status: 'DELIVERY_IN_PROGRESS' },
        at,
      ),
    ).toEqual([{ channel: 'order:o', payload: { orderId: 'o', version: 3 } }]);
  });

  it('tells the merchant of a new paid order (来单提醒)', () => {
    expect(
      statusChangeNotices(
        { status: 'PENDING_PAYMENT' },
        { ...order, status: 'TO_BE_CONFIRMED' },
        at,
      )[1],
    ).toEqual({
      channel: 'merchant:m',
      payload: { kind: 'NEW_ORDER', orderId: 'o', at: at.toISOString() },
    });
  });

  it('tells the merchant of cancellations of orders it has seen, not of unpaid ones', () => {
    const cancelled = { ...order, status: 'CANCELLED' as const };
    expect(statusChangeNotices({ status: 'TO_BE_CONFIRMED' }, cancelled, at)[1]).toEqual({
      channel: 'merchant:m',
      payload: { kind: 'CANCELLED', orderId: 'o', at: at.toISOString() },
    });
    expect(statusChangeNotices({ status: 'PENDING_PAYMENT' }, cancelled, at)).toHaveLength(1);
  });

  it('announces a reminder (催单) to the order and the merchant', () => {
    expect(reminderNotices(order, at)).toEqual([
      { channel: 'order:o', payload: { orderId: 'o', version: 3 } },
      { channel: 'merchant:m', payload: { kind: 'REMINDER', orderId: 'o', at: at.toISOString() } },
    ]);
  });
});
