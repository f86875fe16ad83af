import { isAdmin, type Viewer } from '@sky/auth';
import { isUuid } from '@sky/database';
import { domainError, ErrorCode, forbidden, notFound } from '@sky/errors';
import { uuidv7 } from '../domain/ids.ts';
import { refundApprovedEvent } from '../domain/order-events.ts';
import { parseReason } from '../domain/inputs.ts';
import {
  canDecide,
  deciderFor,
  formatAmount,
  invalidRefundDecision,
  parseRefundClaim,
  priceClaim,
  refundable,
  refundClaimHash,
  refundRequestOpen,
  refundWindowClosed,
  type RefundDecision,
} from '../domain/refund-requests.ts';
import { invalidTransition } from '../domain/transitions.ts';
import { refundRequestNotices } from '../live/channels.ts';
import type { LiveNotifier } from '../live/notifier.ts';
import type { Order, OrderStores, RefundRequest } from '../stores/index.ts';
import { isUniqueViolation } from '../stores/order-writes.ts';

export interface AfterSaleSettings {
  /** How long after completion a customer may ask for a refund. */
  afterSaleWindowSeconds: number;
}

type RequestRefundInput = Parameters<typeof parseRefundClaim>[0];

/**
 * After-sale refunds (docs/architecture.md, section 11.3) for one request's caller: the customer
 * asks, the merchant's staff (or an admin) decide, and an approval asks payment for the money
 * through `order.refund_approved` in the same transaction. Every step bumps the order's version
 * with a history entry, so `orderStatusChanged` and `merchantOrderEvents` show it live.
 */
export class RefundRequests {
  constructor(
    private readonly viewer: Viewer,
    private readonly stores: OrderStores,
    private readonly settings: AfterSaleSettings,
    private readonly live: LiveNotifier,
  ) {}

  /** The order as `Query.order` would refuse it: NOT_FOUND for admins, FORBIDDEN for the rest. */
  private async ownOrder(orderId: string): Promise<Order> {
    const order = isUuid(orderId) ? await this.stores.orders.load(orderId) : null;
    if (order && order.customerId === this.viewer.userId) return order;
    if (!order && isAdmin(this.viewer)) throw notFound('Order');
    throw forbidden('Only the customer who placed the order may ask for a refund.');
  }

  async request(input: RequestRefundInput): Promise<RefundRequest> {
    const claim = parseRefundClaim(input);
    const requestHash = refundClaimHash(claim);
    const repeat = await this.repeated(claim.idempotencyKey, requestHash);
    if (repeat) return repeat;
    const order = await this.ownOrder(claim.orderId);
    if (order.status !== 'COMPLETED') throw invalidTransition('REQUEST_REFUND', order.status);
    // Every delivery records completedAt; a row written without it (imported, hand-made) counts
    // from its last change.
    const completedAt = order.completedAt ?? order.updatedAt;
    const closesAt = new Date(completedAt.getTime() + this.settings.afterSaleWindowSeconds * 1000);
    const at = new Date();
    if (at > closesAt) throw refundWindowClosed(closesAt);

    const id = uuidv7(at.getTime());
    let created: { request: RefundRequest; order: Order };
    try {
      created = await this.stores.transaction(async (tx) => {
        // Taking the order's one open slot first: nothing else can take money meanwhile.
        const opened = await tx.orders.afterSaleStep(
          order.id,
          { openBefore: null, openAfter: id, refunded: 0 },
          {
            actor: 'CUSTOMER',
            actorUserId: this.viewer.userId,
            reason: `after-sale refund requested: ${claim.reason}`,
            at,
          },
        );
        if (!opened) {
          const current = await tx.orders.find(order.id);
          if (current?.openRefundRequestId) throw refundRequestOpen(current.openRefundRequestId);
          throw invalidTransition('REQUEST_REFUND', current?.status ?? order.status);
        }
        const left = refundable(
          order,
          await tx.orders.items(order.id),
          await tx.refundRequests.taken(order.id),
        );
        const priced = priceClaim(claim, left);
        const request = await tx.refundRequests.create({
          id,
          orderId: order.id,
          customerId: order.customerId,
          merchantId: order.merchantId,
          amount: priced.amount,
          currency: order.currency,
          reason: claim.reason,
          photoUrl: claim.photoUrl,
          idempotencyKey: claim.idempotencyKey,
          requestHash,
          items: priced.items,
        });
        tx.afterCommit(
          () => void this.live.publish(refundRequestNotices(opened, 'REFUND_REQUESTED', id, at)),
        );
        return { request, order: opened };
      });
    } catch (error) {
      // The same key sent twice at once: the other call created it; answer as a repeat does.
      if (isUniqueViolation(error, 'idempotencyKey')) {
        const winner = await this.repeated(claim.idempotencyKey, requestHash);
        if (winner) return winner;
      }
      throw error;
    }
    this.stores.orders.remember(created.order);
    return this.stores.refundRequests.remember(created.request);
  }

  /** The request an earlier call made with this key, or IDEMPOTENCY_KEY_REUSED; null if none. */
  private async repeated(key: string, requestHash: string): Promise<RefundRequest | null> {
    const earlier = await this.stores.refundRequests.findByKey(this.viewer.userId, key);
    if (!earlier) return null;
    if (earlier.requestHash !== requestHash) {
      throw domainError(
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        'This idempotency key was already used for a different refund request.',
      );
    }
    return earlier;
  }

  approve(id: string, note: string | null | undefined): Promise<RefundRequest> {
    return this.decide('APPROVE', id, parseReason(note, false));
  }

  reject(id: string, reason: string): Promise<RefundRequest> {
    return this.decide('REJECT', id, parseReason(reason, true));
  }

  private async decide(
    decision: RefundDecision,
    id: string,
    reason: string | null,
  ): Promise<RefundRequest> {
    const request = await this.stores.refundRequests.load(id);
    if (!request) {
      throw isAdmin(this.viewer)
        ? notFound('RefundRequest')
        : forbidden("Only the merchant's staff and admins may decide this refund request.");
    }
    const by = deciderFor(this.viewer, request);
    const at = new Date();
    const approve = decision === 'APPROVE';
    const result = await this.stores.transaction(async (tx) => {
      const current = (await tx.refundRequests.find(id))!;
      if (!canDecide(decision, by, current.status)) {
        throw invalidRefundDecision(decision, current.status);
      }
      const decided = await tx.refundRequests.decide(id, [current.status], {
        status: approve ? 'APPROVED' : 'REJECTED',
        by,
        userId: this.viewer.userId,
        reason,
        at,
      });
      if (!decided) throw invalidRefundDecision(decision, current.status);
      // A PENDING request holds the order's open slot already; an admin approving a REJECTED one
      // takes it again (refused while another request is open). A rejection frees it.
      const overriding = current.status === 'REJECTED';
      const order = await tx.orders.afterSaleStep(
        current.orderId,
        {
          openBefore: overriding ? null : id,
          openAfter: approve ? id : null,
          refunded: 0,
        },
        {
          actor: by,
          actorUserId: this.viewer.userId,
          reason:
            `after-sale refund of ${formatAmount(current.amount, current.currency)} ` +
            `${approve ? 'approved' : 'rejected'}${reason ? `: ${reason}` : ''}`,
          at,
        },
      );
      if (!order) {
        const now = await tx.orders.find(current.orderId);
        throw refundRequestOpen(now?.openRefundRequestId ?? id);
      }
      if (approve) {
        // Only what is still left: an override must not refund what later requests took.
        const left = refundable(
          order,
          await tx.orders.items(order.id),
          (await tx.refundRequests.taken(order.id)).filter((taken) => taken.id !== id),
        );
        if (overriding) {
          const lines = await tx.refundRequests.items(id);
          priceClaim(
            lines.length > 0
              ? { items: lines, amount: null }
              : { items: null, amount: current.amount },
            left,
          );
        }
        await tx.outbox.append(refundApprovedEvent(current, at));
      }
      tx.afterCommit(
        () =>
          void this.live.publish(
            refundRequestNotices(order, approve ? 'REFUND_APPROVED' : 'REFUND_REJECTED', id, at),
          ),
      );
      return { request: decided, order };
    });
    this.stores.orders.remember(result.order);
    return this.stores.refundRequests.remember(result.request);
  }
}
