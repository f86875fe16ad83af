import { toMoney } from '@sky/contracts';
import type { NewEvent } from '@sky/events';
import type { Order, OrderActor, OrderStatus, RefundRequest } from '../stores/index.ts';
import { ORDER_TRANSITIONS, type OrderAction } from './transitions.ts';

/**
 * What a status change writes besides the status itself, and the events it announces, their
 * payloads typed by their contracts (@sky/contracts). Pure functions: the stores apply them
 * inside the change's transaction.
 */

export interface StatusChange {
  action: OrderAction;
  actor: OrderActor;
  /** The acting account; null for SYSTEM. */
  actorUserId: string | null;
  reason: string | null;
  at: Date;
  /** When the payment succeeded, from the payment event (PAYMENT_SUCCEEDED only). */
  paidAt?: Date;
  /** The kitchen's timing (ACCEPT and FOOD_READY), worked out by `kitchenTiming`. */
  kitchen?: KitchenTiming;
}

/** What acceptance (with its prep time) or food ready sets on the order. */
export interface KitchenTiming {
  /** ACCEPT only: the prep time the order is accepted with. */
  prepMinutes?: number;
  /** ACCEPT: acceptance + prep time. */
  estimatedReadyAt?: Date;
  /** The customer's new ETA: ready time + the ride from the merchant, never before a scheduled time. */
  estimatedDeliveryAt: Date | null;
}

/** The columns a change sets on the order (besides `version`). */
export function transitionFields(change: StatusChange) {
  const to = ORDER_TRANSITIONS[change.action].to;
  const fields: {
    status: OrderStatus;
    payStatus?: 'PAID';
    paidAt?: Date;
    paymentFailureOutcome?: null;
    paymentFailureReason?: null;
    paymentFailedAt?: null;
    confirmedAt?: Date;
    prepMinutes?: number;
    estimatedReadyAt?: Date;
    foodReadyAt?: Date;
    estimatedDeliveryAt?: Date | null;
    pickedUpAt?: Date;
    completedAt?: Date;
    cancelledAt?: Date;
    cancelledBy?: OrderActor;
    cancelReason?: string | null;
    rejectionReason?: string | null;
  } = { status: to };
  switch (change.action) {
    case 'PAYMENT_SUCCEEDED':
      fields.payStatus = 'PAID';
      fields.paidAt = change.paidAt ?? change.at;
      // Paid: an earlier failed attempt no longer matters to the paying screen.
      fields.paymentFailureOutcome = null;
      fields.paymentFailureReason = null;
      fields.paymentFailedAt = null;
      break;
    case 'ACCEPT':
      fields.confirmedAt = change.at;
      if (change.kitchen) {
        fields.prepMinutes = change.kitchen.prepMinutes;
        fields.estimatedReadyAt = change.kitchen.estimatedReadyAt;
        fields.estimatedDeliveryAt = change.kitchen.estimatedDeliveryAt;
      }
      break;
    case 'FOOD_READY':
      fields.foodReadyAt = change.at;
      if (change.kitchen) fields.estimatedDeliveryAt = change.kitchen.estimatedDeliveryAt;
      break;
    case 'PICK_UP':
      fields.pickedUpAt = change.at;
      break;
    case 'DELIVER':
      fields.completedAt = change.at;
      break;
    default:
      break;
  }
  if (to === 'CANCELLED') {
    fields.cancelledAt = change.at;
    fields.cancelledBy = change.actor;
    if (change.action === 'REJECT' || change.action === 'ACCEPT_TIMEOUT') {
      fields.rejectionReason = change.reason;
    } else fields.cancelReason = change.reason;
  }
  return fields;
}

/** An event about an order, as the outbox records it. */
export type OutgoingEvent = NewEvent & { aggregateType: 'Order' };

export const paymentTimeoutJobKey = (orderId: string) => `payment-timeout:${orderId}`;
export const PAYMENT_TIMEOUT_JOB = 'order.payment_timeout';

export const acceptTimeoutJobKey = (orderId: string) => `accept-timeout:${orderId}`;
export const ACCEPT_TIMEOUT_JOB = 'order.accept_timeout';

export const placementCleanupJobKey = (reservedOrderId: string) =>
  `placement-cleanup:${reservedOrderId}`;
export const PLACEMENT_CLEANUP_JOB = 'order.placement_cleanup';

/** The events of one status change, from the order before and after it. */
export function statusChangeEvents(
  before: Order,
  after: Order,
  change: StatusChange,
): OutgoingEvent[] {
  const base = { orderId: after.id, customerId: after.customerId, merchantId: after.merchantId };
  const at = change.at.toISOString();
  if (change.action === 'FOOD_READY') {
    // Not a status change: only delivery needs to know (it sends a held rider offer now).
    return [
      {
        type: 'order.food_ready',
        aggregateType: 'Order',
        aggregateId: after.id,
        payload: { ...base, at },
      },
    ];
  }
  const events: OutgoingEvent[] = [
    {
      type: 'order.status_changed',
      aggregateType: 'Order',
      aggregateId: after.id,
      payload: {
        ...base,
        from: before.status,
        to: after.status,
        version: after.version,
        actor: change.actor,
        reason: change.reason,
        at,
      },
    },
  ];
  if (change.action === 'ACCEPT') {
    events.push({
      type: 'order.confirmed',
      aggregateType: 'Order',
      aggregateId: after.id,
      payload: {
        ...base,
        address: { latitude: after.addressLatitude, longitude: after.addressLongitude },
        // Where the rider picks it up (the merchant's location at placement); null for orders
        // placed before it was recorded (delivery then finds the merchant's location itself).
        pickup:
          typeof after.pickupLatitude === 'number' && typeof after.pickupLongitude === 'number'
            ? { latitude: after.pickupLatitude, longitude: after.pickupLongitude }
            : null,
        readyAt: after.estimatedReadyAt?.toISOString() ?? null,
        at,
      },
    });
  }
  if (after.status === 'CANCELLED') {
    events.push({
      type: 'order.cancelled',
      aggregateType: 'Order',
      aggregateId: after.id,
      payload: {
        ...base,
        previousStatus: before.status,
        // Payment refunds a paid order when it sees this (and fails a pending payment either way).
        wasPaid: before.payStatus === 'PAID',
        actor: change.actor,
        reason: change.reason,
        at,
      },
    });
  }
  return events;
}

/** The events of a new order: it was placed, and its first status. */
export function placementEvents(order: Order): OutgoingEvent[] {
  const base = { orderId: order.id, customerId: order.customerId, merchantId: order.merchantId };
  return [
    {
      type: 'order.placed',
      aggregateType: 'Order',
      aggregateId: order.id,
      payload: {
        ...base,
        orderNumber: order.orderNumber,
        total: toMoney(order.totalAmount, order.currency),
        placedAt: order.placedAt.toISOString(),
        paymentDueAt: order.paymentDueAt?.toISOString() ?? null,
      },
    },
    {
      type: 'order.status_changed',
      aggregateType: 'Order',
      aggregateId: order.id,
      payload: {
        ...base,
        from: null,
        to: order.status,
        version: order.version,
        actor: 'CUSTOMER',
        reason: null,
        at: order.placedAt.toISOString(),
      },
    },
  ];
}

/**
 * A placement that reserved (or may have reserved) stock under `reservedOrderId` but never
 * created the order: announced as a cancellation of that id so catalog releases the reservation.
 * `previousStatus` is null because the order never existed; payment has nothing for it.
 */
export function abandonedPlacementEvent(input: {
  reservedOrderId: string;
  customerId: string;
  merchantId: string;
  reason: string;
  at: Date;
}): OutgoingEvent {
  return {
    type: 'order.cancelled',
    aggregateType: 'Order',
    aggregateId: input.reservedOrderId,
    payload: {
      orderId: input.reservedOrderId,
      customerId: input.customerId,
      merchantId: input.merchantId,
      previousStatus: null,
      wasPaid: false,
      actor: 'SYSTEM',
      reason: input.reason,
      at: input.at.toISOString(),
    },
  };
}

export function reminderEvent(order: Order, at: Date): OutgoingEvent {
  return {
    type: 'order.reminded',
    aggregateType: 'Order',
    aggregateId: order.id,
    payload: {
      orderId: order.id,
      merchantId: order.merchantId,
      customerId: order.customerId,
      at: at.toISOString(),
    },
  };
}

/** `order.refund_approved`: payment refunds the request's amount (once per request). */
export function refundApprovedEvent(request: RefundRequest, at: Date): OutgoingEvent {
  return {
    type: 'order.refund_approved',
    aggregateType: 'Order',
    aggregateId: request.orderId,
    payload: {
      orderId: request.orderId,
      customerId: request.customerId,
      merchantId: request.merchantId,
      refundRequestId: request.id,
      amount: toMoney(request.amount, request.currency),
      reason: request.reason,
      at: at.toISOString(),
    },
  };
}
