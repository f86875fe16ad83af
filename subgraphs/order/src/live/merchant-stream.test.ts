import { describe, expect, it } from 'vitest';
import type { Order, RefundRequest } from '../stores/index.ts';
import type { MerchantOrderMessage } from './channels.ts';
import { merchantOrderStream } from './merchant-stream.ts';
import { testChannel } from '@sky/testkit';

const orders: Record<string, Order> = {
  mine: { id: 'mine', merchantId: 'm', version: 2 } as Order,
  theirs: { id: 'theirs', merchantId: 'other', version: 1 } as Order,
};
const refundRequests: Record<string, RefundRequest> = {
  ofMine: { id: 'ofMine', orderId: 'mine' } as RefundRequest,
  ofTheirs: { id: 'ofTheirs', orderId: 'theirs' } as RefundRequest,
};
const at = '2026-11-25T08:00:00.000Z';

function start() {
  const live = testChannel<MerchantOrderMessage>();
  const stream = merchantOrderStream({
    merchantId: 'm',
    source: live.source,
    pending: live.source.next(),
    read: async (orderId) => orders[orderId] ?? null,
    readRefundRequest: async (id) => refundRequests[id] ?? null,
  });
  return { live, stream };
}

describe('merchantOrderStream', () => {
  it("turns messages about the merchant's orders into events with the order", async () => {
    const { live, stream } = start();
    live.push({ kind: 'NEW_ORDER', orderId: 'theirs', at });
    live.push({ kind: 'NEW_ORDER', orderId: 'unknown', at });
    live.push({ kind: 'SOMETHING' as 'NEW_ORDER', orderId: 'mine', at });
    live.push({ kind: 'REMINDER', orderId: 'mine', at: 'not a date' });
    live.push({ kind: 'REMINDER', orderId: 'mine', at });
    expect(await stream.next()).toEqual({
      done: false,
      value: { kind: 'REMINDER', order: orders.mine, at: new Date(at), refundRequest: null },
    });
  });

  it("sends refund events with their request, and drops those whose request is not the order's", async () => {
    const { live, stream } = start();
    live.push({ kind: 'REFUND_REQUESTED', orderId: 'mine', at });
    live.push({ kind: 'REFUND_REQUESTED', orderId: 'mine', at, refundRequestId: 'ofTheirs' });
    live.push({ kind: 'REFUND_APPROVED', orderId: 'mine', at, refundRequestId: 'ofMine' });
    expect(await stream.next()).toEqual({
      done: false,
      value: {
        kind: 'REFUND_APPROVED',
        order: orders.mine,
        at: new Date(at),
        refundRequest: refundRequests.ofMine,
      },
    });
  });

  it('ends at once when returned while waiting', async () => {
    const { live, stream } = start();
    const waiting = stream.next();
    await stream.return!();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(live.returned()).toBe(1);
  });
});
