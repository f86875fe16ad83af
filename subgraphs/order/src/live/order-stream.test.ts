import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Order } from '../stores/index.ts';
import type { OrderChangedMessage } from './channels.ts';
import {
  isFinalOrderState,
  orderStream,
  StreamRefusal,
  type OrderStreamPayload,
} from './order-stream.ts';
import { testChannel } from '@sky/testkit';

const orderId = 'o';

function database(version: number) {
  const state = {
    current: {
      id: orderId,
      version,
      status: 'CONFIRMED',
      payStatus: 'PAID',
      riderUserId: 'rider',
    } as Order | null,
    reads: 0,
  };
  return {
    state,
    read: async () => {
      state.reads += 1;
      return state.current ? { ...state.current } : null;
    },
    set: (changes: Partial<Order>) => {
      state.current = { ...state.current!, ...changes };
    },
  };
}

function start(version: number) {
  const live = testChannel<OrderChangedMessage>();
  const db = database(version);
  const push = (v: number) => live.push({ orderId, version: v });
  const stream = orderStream({
    source: live.source,
    pending: live.source.next(),
    first: db.state.current!,
    read: db.read,
    mayView: (order) => order.riderUserId === 'rider',
    refusal: () => new GraphQLError('gone', { extensions: { code: 'FORBIDDEN' } }),
  });
  return { live, db, push, stream };
}

const versionOf = (result: IteratorResult<OrderStreamPayload>) => {
  if (result.done) return 'done';
  if (result.value instanceof StreamRefusal) return result.value.error.extensions.code;
  return result.value.version;
};

describe('orderStream', () => {
  it('sends the current state first, then newer versions only', async () => {
    const { db, push, stream } = start(3);
    expect(versionOf(await stream.next())).toBe(3);
    expect(db.state.reads).toBe(0);
    // Stale and repeated messages are dropped without reading the database.
    push(2);
    push(3);
    db.set({ version: 4 });
    push(4);
    expect(versionOf(await stream.next())).toBe(4);
    expect(db.state.reads).toBe(1);
    // Two changes before the first message was handled: one event, the latest state.
    db.set({ version: 6 });
    push(5);
    push(6);
    expect(versionOf(await stream.next())).toBe(6);
    db.set({ version: 7 });
    push(7);
    expect(versionOf(await stream.next())).toBe(7);
    // Message 6 was answered by the read for message 5.
    expect(db.state.reads).toBe(3);
  });

  it('ignores messages that are not order messages (probes, garbage)', async () => {
    const { db, live, push, stream } = start(1);
    await stream.next();
    live.push({ probe: 'x' } as unknown as OrderChangedMessage);
    db.set({ version: 2 });
    push(2);
    expect(versionOf(await stream.next())).toBe(2);
    expect(db.state.reads).toBe(1);
  });

  it('ends with the refusal when the subscriber lost access, and stops listening', async () => {
    const { db, live, push, stream } = start(2);
    await stream.next();
    db.set({ version: 3, riderUserId: null });
    push(3);
    expect(versionOf(await stream.next())).toBe('FORBIDDEN');
    expect(live.returned()).toBe(1);
    expect(versionOf(await stream.next())).toBe('done');
  });

  it('completes after a final state', async () => {
    const { db, live, push, stream } = start(5);
    await stream.next();
    db.set({ version: 6, status: 'COMPLETED' });
    push(6);
    expect(versionOf(await stream.next())).toBe(6);
    expect(versionOf(await stream.next())).toBe('done');
    expect(live.returned()).toBe(1);
  });

  it('ends at once when returned while waiting for a message', async () => {
    const { live, stream } = start(1);
    await stream.next();
    const waiting = stream.next();
    await stream.return!();
    expect(versionOf(await waiting)).toBe('done');
    expect(live.returned()).toBe(1);
    expect(versionOf(await stream.next())).toBe('done');
  });
});

describe('isFinalOrderState', () => {
  it('is final when delivered, or cancelled without a refund pending', () => {
    expect(isFinalOrderState({ status: 'COMPLETED', payStatus: 'PAID' })).toBe(true);
    expect(isFinalOrderState({ status: 'CANCELLED', payStatus: 'UNPAID' })).toBe(true);
    expect(isFinalOrderState({ status: 'CANCELLED', payStatus: 'REFUNDED' })).toBe(true);
    expect(isFinalOrderState({ status: 'CANCELLED', payStatus: 'PAID' })).toBe(false);
    expect(isFinalOrderState({ status: 'DELIVERY_IN_PROGRESS', payStatus: 'PAID' })).toBe(false);
  });

  it('is not final while a delivered order has an after-sale refund request open', () => {
    const open = { status: 'COMPLETED', payStatus: 'PAID', openRefundRequestId: 'r' } as const;
    expect(isFinalOrderState(open)).toBe(false);
    expect(isFinalOrderState({ ...open, openRefundRequestId: null })).toBe(true);
  });
});
