import { describe, expect, it } from 'vitest';
import { demoHistory, orders } from '@sky/demo-data';
import { paymentSliceOf } from './demo-data.ts';

describe('paymentSliceOf', () => {
  const { snapshots, payments } = paymentSliceOf(orders);

  it('snapshots every demo order with its authoritative total', () => {
    expect(snapshots.map((s) => s.orderId)).toEqual(orders.map((o) => o.id));
    for (const order of orders) {
      const snapshot = snapshots.find((s) => s.orderId === order.id)!;
      expect(snapshot).toMatchObject({
        customerId: order.customerId,
        merchantId: order.merchantId,
        totalAmount: order.totalAmount,
        currency: 'CNY',
      });
    }
  });

  it('writes one succeeded sandbox payment per paid order, with the dataset ids', () => {
    const paid = orders.filter((o) => o.payment);
    expect(paid.length).toBeGreaterThan(0);
    expect(payments).toHaveLength(paid.length);
    for (const order of paid) {
      const payment = payments.find((p) => p.orderId === order.id)!;
      expect(payment).toMatchObject({
        id: order.payment!.id,
        providerPaymentId: order.payment!.providerPaymentId,
        amount: order.totalAmount,
        currency: 'CNY',
        status: 'SUCCEEDED',
        method: 'SANDBOX',
        liveOrderId: order.id,
        customerId: order.customerId,
        merchantId: order.merchantId,
      });
    }
  });

  it('confirms each payment shortly after its order was placed', () => {
    for (const payment of payments) {
      const order = orders.find((o) => o.id === payment.orderId)!;
      const createdAt = new Date(payment.createdAt!).getTime();
      const paidAt = new Date(payment.paidAt!).getTime();
      expect(createdAt).toBeGreaterThan(order.placedAt.getTime());
      expect(paidAt).toBeGreaterThanOrEqual(createdAt);
      expect(paidAt - order.placedAt.getTime()).toBeLessThan(5 * 60_000);
    }
  });

  it('writes no payment for unpaid orders', () => {
    const unpaid = orders.filter((o) => !o.payment).map((o) => o.id);
    expect(payments.filter((p) => unpaid.includes(p.orderId))).toEqual([]);
  });
});

describe('paymentSliceOf with the demo history', () => {
  const history = demoHistory(new Date());
  const { payments, refunds, snapshots } = paymentSliceOf(history.orders);

  it('refunds every paid and cancelled order in full, once, after its payment', () => {
    const refunded = history.orders.filter((o) => o.status === 'CANCELLED' && o.paid);
    expect(refunded.length).toBeGreaterThan(0);
    expect(refunds.map((r) => r.paymentId).sort()).toEqual(
      refunded.map((o) => o.payment!.id).sort(),
    );
    for (const order of refunded) {
      const payment = payments.find((p) => p.orderId === order.id)!;
      const refund = refunds.find((r) => r.paymentId === payment.id)!;
      expect(payment.status).toBe('REFUNDED');
      expect(refund).toMatchObject({ amount: order.totalAmount, status: 'SUCCEEDED' });
      expect(new Date(refund.createdAt!).getTime()).toBeGreaterThan(
        new Date(payment.paidAt!).getTime(),
      );
    }
  });

  it('leaves completed orders paid and cancelled ones cancelled in the snapshot', () => {
    for (const order of history.orders) {
      const snapshot = snapshots.find((s) => s.orderId === order.id)!;
      expect(snapshot.cancelledAt != null).toBe(order.status === 'CANCELLED');
      const payment = payments.find((p) => p.orderId === order.id);
      if (order.status === 'COMPLETED') expect(payment?.status).toBe('SUCCEEDED');
    }
  });
});
