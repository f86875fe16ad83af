import type { GraphQLError } from 'graphql';
import type { Order } from '../__generated__/prisma/client.ts';
import type { OrderChangedMessage } from './channels.ts';

/**
 * Ends a stream with an error: the last payload of a stream whose subscriber lost the right to
 * see it. The field resolver throws the error, so the subscriber gets it as a normal result
 * (`data: null`, the error with its code), and then the stream completes.
 */
export class StreamRefusal {
  constructor(readonly error: GraphQLError) {}
}

export type OrderStreamPayload = Order | StreamRefusal;

type Result = IteratorResult<OrderStreamPayload>;
const DONE: Result = { done: true, value: undefined };

/**
 * After this state nothing the subscriber follows changes any more: delivered, or cancelled
 * with no refund pending (a cancelled paid order still changes once, to REFUNDED).
 */
export function isFinalOrderState(order: Pick<Order, 'status' | 'payStatus'>): boolean {
  return (
    order.status === 'COMPLETED' || (order.status === 'CANCELLED' && order.payStatus !== 'PAID')
  );
}

/**
 * The `orderStatusChanged` event stream: first the order as it is now, then the order again after
 * every message on its live channel, never a version not newer than the last one sent (messages
 * are best effort and may repeat, arrive late or out of order; the database is the truth). Access
 * is checked again on every state about to be sent: a subscriber who lost it (a rider unassigned)
 * gets `refusal()` and the stream ends. It also ends after a final state.
 *
 * An explicit iterator rather than an async generator: a generator suspended in `await` cannot be
 * stopped from outside until its next message arrives, whereas `return()` here ends the live
 * subscription at once (the pending read of the channel resolves as done).
 */
export function orderStream(options: {
  /** The order's live channel, already listening (`pending` is its first `next()`). */
  source: AsyncIterator<OrderChangedMessage>;
  pending: Promise<IteratorResult<OrderChangedMessage>>;
  /** The order as read after the channel started listening: the first message. */
  first: Order;
  /**
   * Reads the order as it is now (no per-request cache), after the message announcing
   * `announcedVersion` arrived.
   */
  read: (announcedVersion: number) => Promise<Order | null>;
  /** Whether the subscriber may still see the order. */
  mayView: (order: Order) => boolean;
  refusal: () => GraphQLError;
}): AsyncIterableIterator<OrderStreamPayload> {
  const { source, read, mayView } = options;
  let pending: Promise<IteratorResult<OrderChangedMessage>> | null = options.pending;
  let first: Order | null = options.first;
  let finished = false;
  let lastVersion = 0;
  let lastWasFinal = false;

  const finish = async (): Promise<Result> => {
    if (!finished) {
      finished = true;
      await source.return?.();
    }
    return DONE;
  };

  const emit = (order: Order): Result => {
    lastVersion = order.version;
    lastWasFinal = isFinalOrderState(order);
    return { done: false, value: order };
  };

  const next = async (): Promise<Result> => {
    if (finished) return DONE;
    if (first) {
      const order = first;
      first = null;
      return emit(order);
    }
    if (lastWasFinal) return finish();
    for (;;) {
      const message = await (pending ?? source.next());
      pending = null;
      if (finished || message.done) return finish();
      // Stale or duplicate: the state it announces has been sent already.
      if (!(message.value.version > lastVersion)) continue;
      const current = await read(message.value.version);
      if (finished) return DONE;
      if (!current) return finish();
      // Already sent (the read for an earlier message saw this change too).
      if (current.version <= lastVersion) continue;
      if (!mayView(current)) {
        await finish();
        return { done: false, value: new StreamRefusal(options.refusal()) };
      }
      return emit(current);
    }
  };

  const iterator: AsyncIterableIterator<OrderStreamPayload> = {
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
