import type { Order } from '../stores/index.ts';

/**
 * The order subgraph's live channels (docs/architecture.md, section 2.3). A message only says
 * that something changed; subscribers read the current state from the database, so a message
 * carries no data a subscriber could not see and a lost one only delays an update.
 */

/** `order:<orderId>`: the order (its status or its delivery assignment) changed. */
export const orderChannel = (orderId: string) => `order:${orderId}`;
export interface OrderChangedMessage {
  orderId: string;
  version: number;
}

/** `merchant:<merchantId>`: something the merchant console announces happened to an order. */
export const merchantChannel = (merchantId: string) => `merchant:${merchantId}`;
export type MerchantOrderEventKind =
  | 'NEW_ORDER'
  | 'REMINDER'
  | 'CANCELLED'
  | 'REFUND_REQUESTED'
  | 'REFUND_APPROVED'
  | 'REFUND_REJECTED';
export const MERCHANT_ORDER_EVENT_KINDS: readonly MerchantOrderEventKind[] = [
  'NEW_ORDER',
  'REMINDER',
  'CANCELLED',
  'REFUND_REQUESTED',
  'REFUND_APPROVED',
  'REFUND_REJECTED',
];
export interface MerchantOrderMessage {
  kind: MerchantOrderEventKind;
  orderId: string;
  /** The refund request of a REFUND_* event. */
  refundRequestId?: string;
  /** ISO-8601 instant. */
  at: string;
}

/** One message to publish once the change it announces has committed. */
export interface LiveNotice {
  channel: string;
  payload: OrderChangedMessage | MerchantOrderMessage;
}

/** The order changed (any version bump). */
export function orderChanged(order: Pick<Order, 'id' | 'version'>): LiveNotice {
  return {
    channel: orderChannel(order.id),
    payload: { orderId: order.id, version: order.version },
  };
}

function merchantEvent(
  order: Pick<Order, 'id' | 'merchantId'>,
  kind: MerchantOrderEventKind,
  at: Date,
  refundRequestId?: string,
): LiveNotice {
  return {
    channel: merchantChannel(order.merchantId),
    payload: {
      kind,
      orderId: order.id,
      at: at.toISOString(),
      ...(refundRequestId ? { refundRequestId } : {}),
    },
  };
}

/**
 * The messages of a status change: the order's channel always; the merchant's when the order
 * became a new paid order (来单提醒), or was cancelled after it had reached the merchant (paid:
 * an unpaid order the merchant never saw is not announced to it).
 */
export function statusChangeNotices(
  before: Pick<Order, 'status'>,
  after: Pick<Order, 'id' | 'version' | 'merchantId' | 'status'>,
  at: Date,
): LiveNotice[] {
  const notices = [orderChanged(after)];
  if (after.status === 'TO_BE_CONFIRMED') notices.push(merchantEvent(after, 'NEW_ORDER', at));
  if (after.status === 'CANCELLED' && before.status !== 'PENDING_PAYMENT') {
    notices.push(merchantEvent(after, 'CANCELLED', at));
  }
  return notices;
}

/** The messages of a reminder (催单): the order changed, and the merchant is told. */
export function reminderNotices(
  order: Pick<Order, 'id' | 'version' | 'merchantId'>,
  at: Date,
): LiveNotice[] {
  return [orderChanged(order), merchantEvent(order, 'REMINDER', at)];
}

/** The messages of an after-sale step: the order changed, and the merchant is told (REFUND_*). */
export function refundRequestNotices(
  order: Pick<Order, 'id' | 'version' | 'merchantId'>,
  kind: Extract<MerchantOrderEventKind, `REFUND_${string}`>,
  refundRequestId: string,
  at: Date,
): LiveNotice[] {
  return [orderChanged(order), merchantEvent(order, kind, at, refundRequestId)];
}
