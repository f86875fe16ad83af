import { describe, expect, it } from 'vitest';
import type { Order } from '../stores/index.ts';
import { placementEvents, statusChangeEvents, transitionFields } from './order-events.ts';

const at = new Date('2026-11-25T08:00:00.000Z');
const order = {
  id: '11111111-1111-4111-a111-111111111111',
  orderNumber: 'SKY202611250000000001',
  customerId: '22222222-2222-4222-a222-222222222222',
  merchantId: '33333333-3333-4333-a333-333333333333',
  status: 'TO_BE_CONFIRMED',
  payStatus: 'PAID',
  version: 2,
  currency: 'CNY',
  totalAmount: 4200,
  addressLatitude: 31.23,
  addressLongitude: 121.47,
  placedAt: at,
  paymentDueAt: new Date(at.getTime() + 900_000),
} as Order;

describe('transitionFields', () => {
  it('records who cancelled and why, keeping rejections apart', () => {
    const base = { actorUserId: 'u', at };
    expect(
      transitionFields({ ...base, action: 'REJECT', actor: 'MERCHANT', reason: 'busy' }),
    ).toEqual({
      status: 'CANCELLED',
      cancelledAt: at,
      cancelledBy: 'MERCHANT',
      rejectionReason: 'busy',
    });
    expect(
      transitionFields({ ...base, action: 'CUSTOMER_CANCEL', actor: 'CUSTOMER', reason: null }),
    ).toEqual({
      status: 'CANCELLED',
      cancelledAt: at,
      cancelledBy: 'CUSTOMER',
      cancelReason: null,
    });
  });

  it('marks a paid order PAID at the payment time', () => {
    const paidAt = new Date('2026-11-25T07:59:00.000Z');
    expect(
      transitionFields({
        action: 'PAYMENT_SUCCEEDED',
        actor: 'SYSTEM',
        actorUserId: null,
        reason: null,
        at,
        paidAt,
      }),
    ).toEqual({
      status: 'TO_BE_CONFIRMED',
      payStatus: 'PAID',
      paidAt,
      // An earlier declined or failed attempt no longer shows once paid.
      paymentFailureOutcome: null,
      paymentFailureReason: null,
      paymentFailedAt: null,
    });
  });
});

describe('statusChangeEvents', () => {
  it('announces a paid cancellation for the refund and the stock release', () => {
    const after = { ...order, status: 'CANCELLED', version: 3 } as Order;
    const events = statusChangeEvents(order, after, {
      action: 'CUSTOMER_CANCEL',
      actor: 'CUSTOMER',
      actorUserId: order.customerId,
      reason: 'changed my mind',
      at,
    });
    expect(events.map((e) => e.type)).toEqual(['order.status_changed', 'order.cancelled']);
    expect(events[0]!.payload).toMatchObject({
      from: 'TO_BE_CONFIRMED',
      to: 'CANCELLED',
      version: 3,
    });
    expect(events[1]!.payload).toEqual({
      orderId: order.id,
      customerId: order.customerId,
      merchantId: order.merchantId,
      previousStatus: 'TO_BE_CONFIRMED',
      wasPaid: true,
      actor: 'CUSTOMER',
      reason: 'changed my mind',
      at: at.toISOString(),
    });
  });

  const accept = {
    action: 'ACCEPT',
    actor: 'MERCHANT',
    actorUserId: 'u',
    reason: null,
    at,
  } as const;

  it('announces an acceptance with the delivery address, the pickup location and the ready time', () => {
    const readyAt = new Date(at.getTime() + 15 * 60_000);
    const after = {
      ...order,
      status: 'CONFIRMED',
      version: 3,
      pickupLatitude: 31.2,
      pickupLongitude: 121.4,
      estimatedReadyAt: readyAt,
    } as Order;
    const events = statusChangeEvents(order, after, accept);
    expect(events.map((e) => e.type)).toEqual(['order.status_changed', 'order.confirmed']);
    expect(events[1]!.payload).toEqual({
      orderId: order.id,
      customerId: order.customerId,
      merchantId: order.merchantId,
      address: { latitude: 31.23, longitude: 121.47 },
      pickup: { latitude: 31.2, longitude: 121.4 },
      readyAt: readyAt.toISOString(),
      at: at.toISOString(),
    });
  });

  it('announces no pickup location for an order placed before it was recorded', () => {
    const after = {
      ...order,
      status: 'CONFIRMED',
      version: 3,
      pickupLatitude: null,
      pickupLongitude: null,
    } as Order;
    expect(statusChangeEvents(order, after, accept)[1]!.payload).toMatchObject({ pickup: null });
  });
});

describe('placementEvents', () => {
  it('gives payment its snapshot: integer total, due time', () => {
    const [placed] = placementEvents(order);
    expect(placed!.payload).toEqual({
      orderId: order.id,
      orderNumber: order.orderNumber,
      customerId: order.customerId,
      merchantId: order.merchantId,
      total: { amount: 4200, currency: 'CNY' },
      placedAt: at.toISOString(),
      paymentDueAt: '2026-11-25T08:15:00.000Z',
    });
  });
});
