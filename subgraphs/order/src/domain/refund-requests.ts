import { createHash } from 'node:crypto';
import { isAdmin, isStaffOf, type Viewer } from '@sky/auth';
import { isUuid } from '@sky/database';
import { badUserInput, domainError, ErrorCode, forbidden, optionalText } from '@sky/errors';
import type { OrderActor } from '../stores/index.ts';
import { MAX_IDEMPOTENCY_KEY_LENGTH, MAX_REASON_LENGTH, parseReason } from './inputs.ts';

/**
 * After-sale refund requests (docs/architecture.md, section 11.3): what a customer may ask for,
 * and who may decide what. Pure rules; the service applies them in one transaction.
 */

export const MAX_PHOTO_URL_LENGTH = 2000;
export const MAX_REFUND_LINES = 50;

export type RefundRequestStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'REFUNDED';
export type RefundDecision = 'APPROVE' | 'REJECT';

/** A request as the customer sent it, checked: exactly one of `items` and `amount`. */
export interface RefundClaim {
  orderId: string;
  items: { orderItemId: string; quantity: number }[] | null;
  amount: number | null;
  reason: string;
  photoUrl: string | null;
  idempotencyKey: string;
}

export function parseRefundClaim(input: {
  orderId: string;
  items?: readonly { orderItemId: string; quantity: number }[] | null;
  amount?: number | null;
  reason: string;
  photoUrl?: string | null;
  idempotencyKey: string;
}): RefundClaim {
  const hasItems = input.items !== null && input.items !== undefined;
  const hasAmount = input.amount !== null && input.amount !== undefined;
  if (hasItems === hasAmount)
    throw badUserInput('Give exactly one of "items" and "amount".', 'items');
  let items: RefundClaim['items'] = null;
  if (hasItems) {
    const lines = input.items!;
    if (lines.length === 0 || lines.length > MAX_REFUND_LINES) {
      throw badUserInput(`Choose 1 to ${MAX_REFUND_LINES} order lines.`, 'items');
    }
    const seen = new Set<string>();
    items = lines.map((line, index) => {
      const id = line.orderItemId.toLowerCase();
      if (!isUuid(id))
        throw badUserInput('Not an order line of this order.', `items.${index}.orderItemId`);
      if (seen.has(id))
        throw badUserInput('Each order line at most once.', `items.${index}.orderItemId`);
      seen.add(id);
      if (!Number.isInteger(line.quantity) || line.quantity < 1) {
        throw badUserInput('"quantity" must be at least 1.', `items.${index}.quantity`);
      }
      return { orderItemId: id, quantity: line.quantity };
    });
  }
  if (hasAmount && (!Number.isInteger(input.amount) || input.amount! < 1)) {
    throw badUserInput('"amount" must be a whole number of minor units, at least 1.', 'amount');
  }
  const reason = parseReason(input.reason, true)!;
  const photoUrl = parsePhotoUrl(input.photoUrl);
  const key = input.idempotencyKey;
  if (key.length < 1 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw badUserInput(
      `"idempotencyKey" must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`,
      'idempotencyKey',
    );
  }
  return {
    orderId: input.orderId,
    items,
    amount: hasAmount ? input.amount! : null,
    reason,
    photoUrl,
    idempotencyKey: key,
  };
}

/** An http(s) URL of bounded length, or null; anything else (javascript:, data:, ...) is refused. */
export function parsePhotoUrl(value: string | null | undefined): string | null {
  const text = optionalText(value, 'photoUrl', MAX_PHOTO_URL_LENGTH);
  if (text === null) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badUserInput('"photoUrl" is not a URL.', 'photoUrl');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw badUserInput('"photoUrl" must be an http or https URL.', 'photoUrl');
  }
  return text;
}

/** The hash a repeat with the same idempotency key must match (the canonical request). */
export function refundClaimHash(claim: RefundClaim): string {
  const canonical = {
    orderId: claim.orderId.toLowerCase(),
    items: claim.items
      ? [...claim.items].sort((a, b) => a.orderItemId.localeCompare(b.orderItemId))
      : null,
    amount: claim.amount,
    reason: claim.reason,
    photoUrl: claim.photoUrl,
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** What is left to refund of an order: money, and portions per order line. */
export interface Refundable {
  amount: number;
  quantities: Map<string, { quantity: number; unitPriceAmount: number }>;
}

/**
 * What is left after the requests that took money (APPROVED or REFUNDED): the order's total minus
 * their amounts, each line's quantity minus the portions they took.
 */
export function refundable(
  order: { totalAmount: number },
  lines: readonly { id: string; quantity: number; unitPriceAmount: number }[],
  taken: readonly { amount: number; items: readonly { orderItemId: string; quantity: number }[] }[],
): Refundable {
  const quantities = new Map(
    lines.map((line) => [
      line.id,
      { quantity: line.quantity, unitPriceAmount: line.unitPriceAmount },
    ]),
  );
  let amount = order.totalAmount;
  for (const request of taken) {
    amount -= request.amount;
    for (const item of request.items) {
      const line = quantities.get(item.orderItemId);
      if (line) line.quantity -= item.quantity;
    }
  }
  return { amount: Math.max(0, amount), quantities };
}

const exceeds = (message: string, refundable: unknown) =>
  domainError(ErrorCode.REFUND_EXCEEDS_REFUNDABLE, message, { refundable });

/**
 * The amount of a claim and its lines' amounts, or REFUND_EXCEEDS_REFUNDABLE / BAD_USER_INPUT:
 * no more portions than bought minus refunded, no more money than paid minus refunded.
 */
export function priceClaim(
  claim: Pick<RefundClaim, 'items' | 'amount'>,
  left: Refundable,
): { amount: number; items: { orderItemId: string; quantity: number; amount: number }[] } {
  if (claim.items) {
    const items = claim.items.map((item, index) => {
      const line = left.quantities.get(item.orderItemId);
      if (!line)
        throw badUserInput('Not an order line of this order.', `items.${index}.orderItemId`);
      if (item.quantity > line.quantity) {
        throw exceeds(
          `Only ${Math.max(0, line.quantity)} portions of this line are left to refund.`,
          { orderItemId: item.orderItemId, quantity: Math.max(0, line.quantity) },
        );
      }
      return { ...item, amount: item.quantity * line.unitPriceAmount };
    });
    const amount = items.reduce((sum, item) => sum + item.amount, 0);
    if (amount > left.amount) {
      throw exceeds(`Only ${left.amount} is left to refund.`, { amount: left.amount });
    }
    return { amount, items };
  }
  if (claim.amount! > left.amount) {
    throw exceeds(`Only ${left.amount} is left to refund.`, { amount: left.amount });
  }
  return { amount: claim.amount!, items: [] };
}

/**
 * Decisions on a request: the merchant's staff decide a PENDING one; an admin decides a PENDING
 * one too, and may approve a REJECTED one (override). An APPROVED request is never rejected: its
 * money is already on its way through the provider.
 */
export const REFUND_DECISIONS: Readonly<
  Record<RefundDecision, Readonly<Record<'MERCHANT' | 'ADMIN', readonly RefundRequestStatus[]>>>
> = {
  APPROVE: { MERCHANT: ['PENDING'], ADMIN: ['PENDING', 'REJECTED'] },
  REJECT: { MERCHANT: ['PENDING'], ADMIN: ['PENDING'] },
};

/** Who decides for `viewer` (MERCHANT or ADMIN), or FORBIDDEN; before the status is looked at. */
export function deciderFor(viewer: Viewer, request: { merchantId: string }): 'MERCHANT' | 'ADMIN' {
  if (isStaffOf(viewer, request.merchantId)) return 'MERCHANT';
  if (isAdmin(viewer)) return 'ADMIN';
  throw forbidden("Only the merchant's staff and admins may decide this refund request.");
}

export const canDecide = (
  decision: RefundDecision,
  by: Extract<OrderActor, 'MERCHANT' | 'ADMIN'>,
  status: RefundRequestStatus,
): boolean => REFUND_DECISIONS[decision][by].includes(status);

export function invalidRefundDecision(decision: RefundDecision, status: RefundRequestStatus) {
  return domainError(
    ErrorCode.INVALID_STATE_TRANSITION,
    `This refund request is ${status}; that decision is not possible now.`,
    { status, action: `${decision}_REFUND` },
  );
}

export const refundWindowClosed = (closedAt: Date) =>
  domainError(
    ErrorCode.REFUND_WINDOW_CLOSED,
    'The time to ask for a refund of this order has passed.',
    { closedAt: closedAt.toISOString() },
  );

export const refundRequestOpen = (openRequestId: string) =>
  domainError(
    ErrorCode.REFUND_REQUEST_OPEN,
    'Another refund request of this order is still open.',
    { refundRequestId: openRequestId },
  );

/** Money as text for the status history, e.g. `12.50 CNY`. */
export const formatAmount = (amount: number, currency: string) =>
  `${(amount / 100).toFixed(2)} ${currency}`;

export { MAX_REASON_LENGTH };
