import { describe, expect, it } from 'vitest';
import type { Order } from '../stores/index.ts';
import type { MerchantOrderMessage } from './channels.ts';
import { merchantOrderStream } from './merchant-stream.ts';
import { testChannel } from '@sky/testkit';

const orders: Record<string, Order> = {
  mine: { id: 'mine', merchantId: 'm', version: 2 } as Order,
  theirs: { id: 'theirs', merchantId: 'other', version: 1 } as Order,
};
const at = '2026-11-25T08:00:00.000Z';

function start() {
  const live = testChannel<MerchantOrderMessage>();
  const stream = merchantOrderStream({
    merchantId: 'm',
    source: live.source,
    pending: live.source.next(),
    read: async (orderId) => orders[orderId] ?? null,
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
      value: { kind: 'REMINDER', order: orders.mine, at: new Date(at) },
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
