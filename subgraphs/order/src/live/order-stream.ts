import { versionedStream } from '@sky/events';
import type { GraphQLError } from 'graphql';
import type { Order } from '../stores/index.ts';
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

/**
 * After this state nothing the subscriber follows changes any more: delivered with no after-sale
 * refund request open (an open one is still decided and paid), or cancelled with no refund
 * pending (a cancelled paid order still changes once, to REFUNDED).
 */
export function isFinalOrderState(
  order: Pick<Order, 'status' | 'payStatus'> & { openRefundRequestId?: string | null },
): boolean {
  return (
    (order.status === 'COMPLETED' && !order.openRefundRequestId) ||
    (order.status === 'CANCELLED' && order.payStatus !== 'PAID')
  );
}

/**
 * The `orderStatusChanged` event stream: the order now, then after every change (see
 * `versionedStream`). Access is checked again on every state about to be sent: a subscriber who
 * lost it (a rider unassigned) gets `refusal()` and the stream ends. It also ends after a final
 * state.
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
  return versionedStream<Order, OrderStreamPayload>({
    source: options.source,
    pending: options.pending,
    first: options.first,
    read: options.read,
    isFinal: isFinalOrderState,
    toPayload: (order) => order,
    refusal: (order) => (options.mayView(order) ? null : new StreamRefusal(options.refusal())),
  });
}
