import { testChannel } from '@sky/testkit';
import { describe, expect, it } from 'vitest';
import type { Delivery } from '../stores/index.ts';
import { courierStream, type CourierMessage } from './courier-stream.ts';

/** A live channel the test feeds by hand, announcing versions of order `o`. */
function channel() {
  const live = testChannel<CourierMessage>();
  return { ...live, push: (version: number) => live.push({ orderId: 'o', version }) };
}

function store(version: number, status: Delivery['status'] = 'ASSIGNED') {
  const state = {
    current: { id: 'd', orderId: 'o', version, status } as Delivery | null,
    reads: 0,
  };
  return {
    state,
    read: async () => {
      state.reads += 1;
      return state.current ? { ...state.current } : null;
    },
    set: (next: number, nextStatus: Delivery['status'] = 'ASSIGNED') => {
      state.current = { ...state.current!, version: next, status: nextStatus };
    },
  };
}

const versionOf = (result: IteratorResult<{ courierLocation: Delivery }>) =>
  result.done ? 'done' : result.value.courierLocation.version;

describe('courierStream', () => {
  it('sends the current state first, then newer versions only', async () => {
    const live = channel();
    const db = store(3);
    const stream = courierStream({ source: live.source, read: db.read });
    expect(versionOf(await stream.next())).toBe(3);

    // Stale and duplicate messages are dropped without reading the database.
    live.push(2);
    live.push(3);
    db.set(4);
    live.push(4);
    expect(versionOf(await stream.next())).toBe(4);
    expect(db.state.reads).toBe(2);

    // The database moved on twice before the first message was handled: one event, the latest.
    db.set(6);
    live.push(5);
    live.push(6);
    expect(versionOf(await stream.next())).toBe(6);
    db.set(7);
    live.push(7);
    expect(versionOf(await stream.next())).toBe(7);
    // Message 6 was answered by the read for message 5.
    expect(db.state.reads).toBe(4);
  });

  it('skips a message when the database holds nothing newer than what was sent', async () => {
    const live = channel();
    const db = store(1);
    const stream = courierStream({ source: live.source, read: db.read });
    await stream.next();
    live.push(9);
    const pending = stream.next();
    await new Promise((resolve) => setTimeout(resolve, 10));
    db.set(2);
    live.push(2);
    expect(versionOf(await pending)).toBe(2);
  });

  it('completes after a final state and stops listening', async () => {
    const live = channel();
    const db = store(5);
    const stream = courierStream({ source: live.source, read: db.read });
    await stream.next();
    db.set(6, 'DELIVERED');
    live.push(6);
    expect(versionOf(await stream.next())).toBe(6);
    expect(versionOf(await stream.next())).toBe('done');
    expect(live.returned()).toBe(1);
  });

  it('ends at once when returned while waiting for a message', async () => {
    const live = channel();
    const stream = courierStream({ source: live.source, read: store(1).read });
    await stream.next();
    const waiting = stream.next();
    await stream.return!();
    expect(versionOf(await waiting)).toBe('done');
    expect(live.returned()).toBe(1);
    expect(versionOf(await stream.next())).toBe('done');
  });

  it('ends without events when the delivery is gone', async () => {
    const live = channel();
    const db = store(1);
    db.state.current = null;
    const stream = courierStream({ source: live.source, read: db.read });
    expect(versionOf(await stream.next())).toBe('done');
    expect(live.returned()).toBe(1);
  });
});
