import { describe, expect, it } from 'vitest';
import {
  DEMO_UTC_OFFSET_HOURS,
  demoHistory,
  generateDemoHistory,
  HISTORY_DAYS,
} from './history.ts';
import { merchants, orders, users } from './index.ts';

const now = new Date('2026-12-07T09:30:00Z'); // 17:30 in Shanghai
const history = demoHistory(now);
const localDay = (at: Date) =>
  new Date(at.getTime() + DEMO_UTC_OFFSET_HOURS * 3_600_000).toISOString().slice(0, 10);
const localMinutes = (at: Date) => {
  const local = new Date(at.getTime() + DEMO_UTC_OFFSET_HOURS * 3_600_000);
  return local.getUTCHours() * 60 + local.getUTCMinutes();
};

describe('demo history', () => {
  it('is the same list for the same day, computed afresh (what each subgraph relies on)', () => {
    // Another moment of the same local day, generated again (not the memo).
    const sameDay = generateDemoHistory(new Date('2026-12-07T15:59:00Z'));
    expect(sameDay.anchorDate).toBe(history.anchorDate);
    expect(JSON.stringify(sameDay.orders)).toBe(JSON.stringify(history.orders));
    const nextDay = generateDemoHistory(new Date('2026-12-07T16:01:00Z')); // 00:01 on the 8th locally
    expect(nextDay.anchorDate).toBe('20261208');
    expect(nextDay.orders[0]!.id).not.toBe(history.orders[0]!.id);
  });

  it('covers every one of the 60 local days before the seed day, at every merchant', () => {
    const days = new Set(history.orders.map((o) => localDay(o.placedAt)));
    expect(days.size).toBe(HISTORY_DAYS);
    expect([...days].sort().at(0)).toBe('2026-10-08');
    expect([...days].sort().at(-1)).toBe('2026-12-06');
    for (const merchant of merchants) {
      const ofMerchant = history.orders.filter((o) => o.merchantId === merchant.id);
      expect(new Set(ofMerchant.map((o) => localDay(o.placedAt))).size).toBe(HISTORY_DAYS);
    }
    expect(history.orders.length).toBeGreaterThan(800);
  });

  it('is mostly completed, with some orders cancelled unpaid and some refunded', () => {
    const count = (test: (o: (typeof history.orders)[number]) => boolean) =>
      history.orders.filter(test).length;
    const completed = count((o) => o.status === 'COMPLETED');
    const timedOut = count((o) => o.status === 'CANCELLED' && !o.paid);
    const refunded = count((o) => o.status === 'CANCELLED' && o.paid);
    expect(completed + timedOut + refunded).toBe(history.orders.length);
    expect(completed / history.orders.length).toBeGreaterThan(0.75);
    expect(timedOut).toBeGreaterThan(0);
    expect(refunded).toBeGreaterThan(0);
    for (const order of history.orders) {
      expect(order.refund != null).toBe(order.status === 'CANCELLED' && order.paid);
      expect(order.delivery != null).toBe(order.status === 'COMPLETED');
      expect(order.payment != null).toBe(order.paid);
    }
  });

  it('adds up every order and places it within its merchant hours', () => {
    for (const order of history.orders) {
      const merchant = merchants.find((m) => m.id === order.merchantId)!;
      const items = order.items.reduce((s, i) => s + i.unitPriceAmount * i.quantity, 0);
      const packing =
        order.items.reduce((s, i) => s + i.quantity, 0) * merchant.packingFeePerItemAmount;
      expect(order.itemsTotalAmount).toBe(items);
      expect(order.totalAmount).toBe(items + packing + merchant.deliveryFeeAmount);
      for (const item of order.items) {
        expect(merchant.dishes.find((d) => d.id === item.dishId)?.priceAmount).toBe(
          item.unitPriceAmount,
        );
      }
      const [openH, openM] = merchant.hours.opensAt.split(':').map(Number);
      const [closeH, closeM] = merchant.hours.closesAt.split(':').map(Number);
      const minutes = localMinutes(order.placedAt);
      expect(minutes).toBeGreaterThanOrEqual(openH! * 60 + openM!);
      expect(minutes).toBeLessThan(closeH! * 60 + closeM!);
    }
  });

  it('uses ids and order numbers that collide neither with each other nor with the live demo', () => {
    const all = [...history.orders, ...orders];
    expect(new Set(all.map((o) => o.id)).size).toBe(all.length);
    expect(new Set(all.map((o) => o.orderNumber)).size).toBe(all.length);
    const people = [...users, ...history.customers];
    expect(new Set(people.map((u) => u.id)).size).toBe(people.length);
    expect(new Set(people.map((u) => u.email)).size).toBe(people.length);
    expect(new Set(people.map((u) => u.phone)).size).toBe(people.length);
  });

  it('has customers join over the history, each ordering only after joining, at their address', () => {
    const joined = history.customers.filter(
      (c) => c.createdAt.getTime() > history.orders[0]!.placedAt.getTime(),
    );
    expect(joined.length).toBeGreaterThan(HISTORY_DAYS / 3);
    for (const order of history.orders) {
      const customer = history.customers.find((c) => c.id === order.customerId)!;
      expect(customer.createdAt.getTime()).toBeLessThan(order.placedAt.getTime());
      expect(history.addresses.find((a) => a.id === order.addressId)?.userId).toBe(customer.id);
    }
  });
});
