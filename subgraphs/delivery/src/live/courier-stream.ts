import type { Delivery } from '../__generated__/prisma/client.ts';
import { isFinalDeliveryStatus } from '../delivery-status.ts';

/** The live channel of an order's delivery (docs/contracts.md): `{ orderId, version }`. */
export const courierChannel = (orderId: string) => `courier:${orderId}`;

export interface CourierMessage {
  orderId: string;
  version: number;
}

type Result = IteratorResult<{ courierLocation: Delivery }>;
const DONE: Result = { done: true, value: undefined };

/**
 * The `courierLocation` event stream: first the delivery's current state, then the state again
 * after every message on its live channel, never a version not newer than the last one sent
 * (messages are best effort and may repeat or arrive late; the database is the truth). It ends
 * after a final state (DELIVERED, CANCELLED).
 *
 * An explicit iterator rather than an async generator: a generator suspended in `await` cannot be
 * stopped from outside until its next message, whereas `return()` here ends the live subscription
 * at once (the pending read of the channel resolves as done).
 */
export function courierStream(options: {
  source: AsyncIterator<CourierMessage>;
  /** Reads the delivery as it is now (no per-request cache). */
  read: () => Promise<Delivery | null>;
}): AsyncIterableIterator<{ courierLocation: Delivery }> {
  const { source, read } = options;
  let started = false;
  let finished = false;
  let lastVersion = 0;
  let lastWasFinal = false;
  let pending: Promise<IteratorResult<CourierMessage>> | null = null;

  const finish = async (): Promise<Result> => {
    if (!finished) {
      finished = true;
      await source.return?.();
    }
    return DONE;
  };

  const emit = (delivery: Delivery): Result => {
    lastVersion = delivery.version;
    lastWasFinal = isFinalDeliveryStatus(delivery.status);
    return { done: false, value: { courierLocation: delivery } };
  };

  const next = async (): Promise<Result> => {
    if (finished) return DONE;
    if (!started) {
      started = true;
      // Listen before reading, so a change committed while the first state is read still
      // arrives as a message afterwards.
      pending = source.next();
      pending.catch(() => {});
      const current = await read();
      if (finished) return DONE;
      return current ? emit(current) : finish();
    }
    if (lastWasFinal) return finish();
    for (;;) {
      const message = await (pending ?? source.next());
      pending = null;
      if (finished || message.done) return finish();
      // Stale or duplicate: the state it announces has been sent already.
      if (message.value.version <= lastVersion) continue;
      const current = await read();
      if (finished) return DONE;
      if (!current) return finish();
      if (current.version > lastVersion) return emit(current);
    }
  };

  const iterator: AsyncIterableIterator<{ courierLocation: Delivery }> = {
    next,
    return: finish,
    throw: async (error: unknown) => {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
