import { liveMessageCause, stoppableIterator } from '@sky/events';
import { rememberCause } from '@sky/telemetry';
import type { Order, RefundRequest } from '../stores/index.ts';
import {
  MERCHANT_ORDER_EVENT_KINDS,
  type MerchantOrderEventKind,
  type MerchantOrderMessage,
} from './channels.ts';

export interface MerchantOrderEvent {
  kind: MerchantOrderEventKind;
  order: Order;
  at: Date;
  /** The refund request of a REFUND_* event, as it is now; null for the other kinds. */
  refundRequest: RefundRequest | null;
}

type Result = IteratorResult<MerchantOrderEvent>;
const DONE: Result = { done: true, value: undefined };
const KINDS: readonly string[] = MERCHANT_ORDER_EVENT_KINDS;

/**
 * The `merchantOrderEvents` event stream: each message on the merchant's live channel becomes an
 * event with the order as it is now. Messages about orders of another merchant or that cannot be
 * read are dropped. An explicit iterator, so that `return()` ends the live subscription at once.
 */
export function merchantOrderStream(options: {
  merchantId: string;
  /** The merchant's live channel, already listening (`pending` is its first `next()`). */
  source: AsyncIterator<MerchantOrderMessage>;
  pending: Promise<IteratorResult<MerchantOrderMessage>>;
  /** Reads an order as it is now (no per-request cache). */
  read: (orderId: string) => Promise<Order | null>;
  /** Reads a refund request as it is now. */
  readRefundRequest: (id: string) => Promise<RefundRequest | null>;
}): AsyncIterableIterator<MerchantOrderEvent> {
  const { source, read, merchantId } = options;
  let pending: Promise<IteratorResult<MerchantOrderMessage>> | null = options.pending;
  let finished = false;

  const finish = async (): Promise<Result> => {
    if (!finished) {
      finished = true;
      await source.return?.();
    }
    return DONE;
  };

  const next = async (): Promise<Result> => {
    for (;;) {
      if (finished) return DONE;
      const message = await (pending ?? source.next());
      pending = null;
      if (finished || message.done) return finish();
      const { kind, orderId, at, refundRequestId } = message.value;
      const when = new Date(at);
      if (!KINDS.includes(kind) || typeof orderId !== 'string' || Number.isNaN(when.getTime())) {
        continue;
      }
      const order = await read(orderId);
      if (finished) return DONE;
      if (!order || order.merchantId !== merchantId) continue;
      let refundRequest: RefundRequest | null = null;
      if (kind.startsWith('REFUND_')) {
        refundRequest =
          typeof refundRequestId === 'string'
            ? await options.readRefundRequest(refundRequestId)
            : null;
        if (finished) return DONE;
        if (!refundRequest || refundRequest.orderId !== order.id) continue;
      }
      const event = { kind, order, at: when, refundRequest };
      rememberCause(event, liveMessageCause(message.value));
      return { done: false, value: event };
    }
  };

  return stoppableIterator(next, finish);
}
