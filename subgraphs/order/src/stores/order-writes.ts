import type { AddressSnapshot, GeoPoint } from '@sky/contracts';
import { conflict } from '@sky/errors';
import { Prisma, type Order, type OrderStatus } from '../__generated__/prisma/client.ts';
import { transitionFields, type StatusChange } from '../domain/order-events.ts';
import { actionAllowed } from '../domain/transitions.ts';

type Tx = Prisma.TransactionClient;

/** How often a status change re-reads the order after losing a race to another change. */
const MAX_CHANGE_ATTEMPTS = 5;

export type TransitionResult =
  { ok: true; before: Order; after: Order } | { ok: false; order: Order | null };

export interface NewOrder {
  id: string;
  orderNumber: string;
  customerId: string;
  merchantId: string;
  currency: string;
  itemsTotalAmount: number;
  packingFeeAmount: number;
  deliveryFeeAmount: number;
  totalAmount: number;
  remark: string | null;
  tablewareCount: number | null;
  scheduledDeliveryAt: Date | null;
  address: AddressSnapshot;
  /** The merchant's location (from catalog's quote), where the rider picks the order up. */
  pickup: GeoPoint;
  /** The merchant's usual prep time (from catalog's quote), for an acceptance without one. */
  defaultPrepMinutes: number;
  placedAt: Date;
  paymentDueAt: Date;
  items: {
    dishId: string | null;
    setMealId: string | null;
    name: string;
    imageUrl: string | null;
    flavor: string | null;
    quantity: number;
    unitPriceAmount: number;
    lineTotalAmount: number;
  }[];
  actorUserId: string;
}

export const isUniqueViolation = (error: unknown, field?: string): boolean =>
  error instanceof Prisma.PrismaClientKnownRequestError &&
  error.code === 'P2002' &&
  (field === undefined || JSON.stringify(error.meta ?? {}).includes(field));

/** Order writes inside a transaction; every change is conditional on what it read. */
export class OrderWrites {
  constructor(private readonly tx: Tx) {}

  find(id: string): Promise<Order | null> {
    return this.tx.order.findUnique({ where: { id } });
  }

  items(orderId: string) {
    return this.tx.orderItem.findMany({ where: { orderId } });
  }

  /** Creates the order with its items and the first status-history entry (version 1). */
  async create(order: NewOrder): Promise<Order> {
    return this.tx.order.create({
      data: {
        id: order.id,
        orderNumber: order.orderNumber,
        status: 'PENDING_PAYMENT',
        payStatus: 'UNPAID',
        customerId: order.customerId,
        merchantId: order.merchantId,
        currency: order.currency,
        itemsTotalAmount: order.itemsTotalAmount,
        packingFeeAmount: order.packingFeeAmount,
        deliveryFeeAmount: order.deliveryFeeAmount,
        totalAmount: order.totalAmount,
        remark: order.remark,
        tablewareCount: order.tablewareCount,
        deliverAsSoonAsPossible: order.scheduledDeliveryAt === null,
        scheduledDeliveryAt: order.scheduledDeliveryAt,
        estimatedDeliveryAt: order.scheduledDeliveryAt,
        addressContactName: order.address.contactName,
        addressPhone: order.address.phone,
        addressDetail: order.address.detail,
        addressLabel: order.address.label,
        addressLatitude: order.address.latitude,
        addressLongitude: order.address.longitude,
        pickupLatitude: order.pickup.latitude,
        pickupLongitude: order.pickup.longitude,
        defaultPrepMinutes: order.defaultPrepMinutes,
        version: 1,
        placedAt: order.placedAt,
        paymentDueAt: order.paymentDueAt,
        items: {
          // createdAt spaced by a millisecond keeps the cart's line order (items list by createdAt).
          create: order.items.map((item, index) => ({
            ...item,
            createdAt: new Date(order.placedAt.getTime() + index),
          })),
        },
        statusHistory: {
          create: {
            fromStatus: null,
            toStatus: 'PENDING_PAYMENT',
            actor: 'CUSTOMER',
            actorUserId: order.actorUserId,
            version: 1,
            at: order.placedAt,
          },
        },
      },
    });
  }

  /**
   * Moves the order as `change.action` says, if its current status allows it: a conditional
   * update on the status and version it read (a concurrent change makes it read again), the
   * history entry with the new version, all in the caller's transaction. `ok: false` when the
   * order does not exist or its status does not allow the action; nothing is written then.
   */
  async transition(orderId: string, change: StatusChange): Promise<TransitionResult> {
    for (let attempt = 0; attempt < MAX_CHANGE_ATTEMPTS; attempt++) {
      const before = await this.find(orderId);
      if (!before || !actionAllowed(change.action, before)) {
        return { ok: false, order: before };
      }
      const fields = transitionFields(change);
      const { count } = await this.tx.order.updateMany({
        where: { id: orderId, status: before.status, version: before.version },
        data: { ...fields, version: before.version + 1 },
      });
      if (count === 0) continue;
      await this.recordHistory(orderId, before.status, fields.status, before.version + 1, change);
      const after = (await this.find(orderId))!;
      return { ok: true, before, after };
    }
    throw conflict('The order changed concurrently; try again.');
  }

  private async recordHistory(
    orderId: string,
    from: OrderStatus,
    to: OrderStatus,
    version: number,
    change: Omit<StatusChange, 'action' | 'paidAt'>,
  ) {
    await this.tx.orderStatusChange.create({
      data: {
        orderId,
        fromStatus: from,
        toStatus: to,
        actor: change.actor,
        actorUserId: change.actorUserId,
        reason: change.reason,
        prepMinutes: change.kitchen?.prepMinutes ?? null,
        version,
        at: change.at,
      },
    });
  }

  /**
   * Records a reminder if the order is in one of `statuses` and was not reminded after
   * `notAfter`; returns the updated order, or null when it was not recorded.
   */
  async remind(
    orderId: string,
    statuses: readonly OrderStatus[],
    at: Date,
    notAfter: Date,
  ): Promise<Order | null> {
    const { count } = await this.tx.order.updateMany({
      where: {
        id: orderId,
        status: { in: [...statuses] },
        OR: [{ lastRemindedAt: null }, { lastRemindedAt: { lte: notAfter } }],
      },
      data: { lastRemindedAt: at, reminderCount: { increment: 1 }, version: { increment: 1 } },
    });
    return count === 1 ? this.find(orderId) : null;
  }

  /**
   * Pay status REFUNDED after payment's refund event. Refunds follow cancellations only: of a
   * paid order, or of a payment that succeeded after its order was already cancelled (then the
   * order was still UNPAID). False when the order is not cancelled or already refunded.
   */
  async markRefunded(orderId: string): Promise<Order | null> {
    const { count } = await this.tx.order.updateMany({
      where: { id: orderId, status: 'CANCELLED', payStatus: { not: 'REFUNDED' } },
      data: { payStatus: 'REFUNDED', version: { increment: 1 } },
    });
    return count === 1 ? this.find(orderId) : null;
  }

  /**
   * A step of an after-sale refund on a COMPLETED order: a conditional update on the order's open
   * request (`openBefore`), which sets the open request (`openAfter`) and adds `refunded` to the
   * refunded amount (pay status PARTIALLY_REFUNDED, or REFUNDED once it reaches the total), with
   * `version` + 1 and a history entry COMPLETED → COMPLETED. Null when the order is not COMPLETED
   * or its open request is not `openBefore` (nothing written).
   */
  async afterSaleStep(
    orderId: string,
    step: { openBefore: string | null; openAfter: string | null; refunded: number },
    change: Pick<StatusChange, 'actor' | 'actorUserId' | 'reason' | 'at'>,
  ): Promise<Order | null> {
    const { count } = await this.tx.order.updateMany({
      where: { id: orderId, status: 'COMPLETED', openRefundRequestId: step.openBefore },
      data: {
        openRefundRequestId: step.openAfter,
        refundedAmount: { increment: step.refunded },
        version: { increment: 1 },
      },
    });
    if (count === 0) return null;
    let after = (await this.find(orderId))!;
    if (step.refunded > 0) {
      after = await this.tx.order.update({
        where: { id: orderId },
        data: {
          payStatus: after.refundedAmount >= after.totalAmount ? 'REFUNDED' : 'PARTIALLY_REFUNDED',
        },
      });
    }
    await this.recordHistory(orderId, 'COMPLETED', 'COMPLETED', after.version, change);
    return after;
  }

  /**
   * A failed payment attempt (payment.declined / payment.failed), shown on an order that still
   * waits for payment; null when the order no longer does (nothing written).
   */
  async recordPaymentFailure(
    orderId: string,
    failure: { outcome: 'DECLINED' | 'FAILED'; reason: string; at: Date },
  ): Promise<Order | null> {
    const { count } = await this.tx.order.updateMany({
      where: { id: orderId, status: 'PENDING_PAYMENT', payStatus: 'UNPAID' },
      data: {
        paymentFailureOutcome: failure.outcome,
        paymentFailureReason: failure.reason,
        paymentFailedAt: failure.at,
        version: { increment: 1 },
      },
    });
    return count === 1 ? this.find(orderId) : null;
  }

  /*
   * The delivery assignment, from the delivery subgraph's events. Events can arrive late or out
   * of order (a redelivery after a failure), so each one carries its instant and is applied only
   * if it is newer than the last assignment change applied (`riderChangedAt`); a repeat of the
   * same event is not newer, so it changes nothing.
   */

  /**
   * delivery.assigned: the rider (and the rider's account, which may then read the order) is
   * remembered and dispatch no longer waits. Returns the updated order, or null when the event
   * is not newer than the assignment the order already knows (nothing written).
   */
  async assignRider(
    orderId: string,
    rider: { riderId: string; riderUserId: string },
    at: Date,
  ): Promise<Order | null> {
    const { count } = await this.tx.order.updateMany({
      where: { id: orderId, OR: [{ riderChangedAt: null }, { riderChangedAt: { lt: at } }] },
      data: {
        riderId: rider.riderId,
        riderUserId: rider.riderUserId,
        riderChangedAt: at,
        deliveryWaitingSince: null,
        version: { increment: 1 },
      },
    });
    return count === 1 ? this.find(orderId) : null;
  }

  /**
   * delivery.unassigned: forgets that rider (who loses access to the order). Returns the updated
   * order, or null when there was nothing to forget: another rider or a newer assignment is
   * recorded, or none at all. With no rider recorded yet (this event overtook its assignment) the
   * instant is still kept, so the older assignment arriving afterwards is not applied.
   */
  async unassignRider(orderId: string, riderId: string, at: Date): Promise<Order | null> {
    const newer = { OR: [{ riderChangedAt: null }, { riderChangedAt: { lt: at } }] };
    const { count } = await this.tx.order.updateMany({
      where: { id: orderId, riderId, ...newer },
      data: {
        riderId: null,
        riderUserId: null,
        riderChangedAt: at,
        version: { increment: 1 },
      },
    });
    if (count === 1) return this.find(orderId);
    await this.tx.order.updateMany({
      where: { id: orderId, riderId: null, ...newer },
      data: { riderChangedAt: at },
    });
    return null;
  }

  /**
   * delivery.waiting: an accepted order without a rider is marked as waiting for one (once: the
   * flag stays until a rider is assigned, and later retries change nothing). Returns the updated
   * order, or null when nothing changed (already waiting, a rider assigned, not CONFIRMED, or the
   * event is older than the last assignment change).
   */
  async markDeliveryWaiting(orderId: string, at: Date): Promise<Order | null> {
    const { count } = await this.tx.order.updateMany({
      where: {
        id: orderId,
        status: 'CONFIRMED',
        riderId: null,
        deliveryWaitingSince: null,
        OR: [{ riderChangedAt: null }, { riderChangedAt: { lt: at } }],
      },
      data: { deliveryWaitingSince: at, version: { increment: 1 } },
    });
    return count === 1 ? this.find(orderId) : null;
  }
}
