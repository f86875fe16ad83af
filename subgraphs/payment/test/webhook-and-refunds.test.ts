import { randomUUID } from 'node:crypto';
import { graphql } from '@sky/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PAYMENT,
  startPaymentHarness,
  waitFor,
  type PaidPayment,
  type PaymentHarness,
} from './harness.ts';

let h: PaymentHarness;
const customerId = randomUUID();
let token: string;

beforeAll(async () => {
  h = await startPaymentHarness();
  token = h.tokenFor(customerId);
});
afterAll(async () => {
  await h?.stop();
});

const key = () => `key-${randomUUID()}`;

async function pendingPayment(total = 2000): Promise<PaidPayment> {
  const orderId = await h.placeOrder({ customerId, total });
  const response = await h.pay(token, { orderId, idempotencyKey: key() });
  expect(response.errors).toBeUndefined();
  return response.data!.payOrder;
}

const row = (id: string) => h.subgraph.prisma.payment.findUniqueOrThrow({ where: { id } });

function waitForStatus(id: string, status: string) {
  return waitFor(async () => {
    const payment = await row(id);
    return payment.status === status ? payment : null;
  });
}

/** A callback body as the provider would send it for `payment`. */
const callbackFor = (payment: PaidPayment, overrides: Record<string, unknown> = {}) => ({
  eventId: `evt_${randomUUID()}`,
  providerPaymentId: payment.providerPaymentId,
  merchantReference: payment.id,
  status: 'SUCCEEDED',
  amount: payment.amount.amount,
  currency: payment.amount.currency,
  occurredAt: new Date().toISOString(),
  ...overrides,
});

/** Nothing about the payment moved: still PENDING, no event, nothing refunded. */
async function expectUnchanged(payment: PaidPayment) {
  expect(await row(payment.id)).toMatchObject({ status: 'PENDING', paidAt: null });
  expect(await h.events('payment.succeeded', payment.id)).toHaveLength(0);
  expect(await h.events('payment.declined', payment.id)).toHaveLength(0);
}

describe('the provider webhook', () => {
  it('refuses a forged signature with 401 and stores nothing of it', async () => {
    const payment = await pendingPayment();
    const { raw, headers } = h.signed(callbackFor(payment));
    const forged = await h.deliver(raw, { ...headers, 'x-sandbox-signature': 'ab'.repeat(32) });
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ error: { code: 'INVALID_SIGNATURE' } });
    const missing = await h.deliver(raw, {});
    expect(missing.status).toBe(401);
    await expectUnchanged(payment);
    const logged = await h.subgraph.prisma.providerCallback.findMany({
      where: {
        outcome: 'INVALID_SIGNATURE',
        payload: { path: ['merchantReference'], equals: payment.id },
      },
    });
    // Anyone can post unsigned bodies: keeping them would let anyone fill the database.
    expect(logged).toHaveLength(0);
  });

  it('answers an oversized body 413 (final for the provider), stores nothing', async () => {
    const before = await h.subgraph.prisma.providerCallback.count();
    const response = await h.deliver(JSON.stringify({ padding: 'x'.repeat(70 * 1024) }), {});
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(await h.subgraph.prisma.providerCallback.count()).toBe(before);
  });

  it('refuses a tampered body', async () => {
    const payment = await pendingPayment();
    const { raw, headers } = h.signed(callbackFor(payment, { status: 'DECLINED' }));
    const tampered = raw.replace('"DECLINED"', '"SUCCEEDED"');
    expect(tampered).not.toBe(raw);
    const response = await h.deliver(tampered, headers);
    expect(response.status).toBe(401);
    const cheaper = await h.deliver(raw.replace(/"amount":\d+/, '"amount":1'), headers);
    expect(cheaper.status).toBe(401);
    await expectUnchanged(payment);
  });

  it('refuses a genuine signature that is too old (a replay)', async () => {
    const payment = await pendingPayment();
    const { raw, headers } = h.signed(callbackFor(payment), Math.floor(Date.now() / 1000) - 301);
    const response = await h.deliver(raw, headers);
    expect(response.status).toBe(401);
    await expectUnchanged(payment);
    const logged = await h.subgraph.prisma.providerCallback.findFirstOrThrow({
      where: { payload: { path: ['merchantReference'], equals: payment.id } },
    });
    expect(logged).toMatchObject({
      outcome: 'EXPIRED_TIMESTAMP',
      signatureValid: true,
      providerEventId: null,
    });
  });

  it('answers a replayed callback with 200 and changes nothing', async () => {
    const payment = await pendingPayment();
    await h.complete(payment.providerPaymentId!);
    const first = await row(payment.id);
    expect(first.status).toBe('SUCCEEDED');

    // The provider resends the same event (same id and body, signed afresh)...
    const resent = await h.sandboxCall(
      'POST',
      `/v1/test/payments/${payment.providerPaymentId}/redeliver`,
    );
    expect(resent.body).toMatchObject({ delivered: true, responseStatus: 200 });
    // ...and an attacker replays the captured request as it was, within the tolerance.
    const { body } = await h.sandboxCall(
      'GET',
      `/v1/test/payments/${payment.providerPaymentId}/callbacks`,
    );
    const captured = (body.callbacks as { body: string }[])[0]!.body;
    const { headers } = h.signed(captured);
    const replayed = await h.deliver(captured, headers);
    expect(replayed).toMatchObject({ status: 200, body: { outcome: 'DUPLICATE' } });

    expect(await row(payment.id)).toEqual(first);
    expect(await h.events('payment.succeeded', payment.id)).toHaveLength(1);
    const outcomes = await h.subgraph.prisma.providerCallback.findMany({
      where: { paymentId: payment.id },
      orderBy: { receivedAt: 'asc' },
      select: { outcome: true },
    });
    expect(outcomes.map((o) => o.outcome)).toEqual(['APPLIED', 'DUPLICATE', 'DUPLICATE']);
  });

  it('makes one transition from concurrent deliveries of one callback', async () => {
    const payment = await pendingPayment();
    const { raw, headers } = h.signed(callbackFor(payment));
    const answers = await Promise.all(Array.from({ length: 8 }, () => h.deliver(raw, headers)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(answers.filter((a) => a.body.outcome === 'APPLIED')).toHaveLength(1);
    expect(await row(payment.id)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await h.events('payment.succeeded', payment.id)).toHaveLength(1);
  });

  it('answers 404 for an unknown payment and logs it', async () => {
    const payment = await pendingPayment();
    const unknownReference = randomUUID();
    const { raw, headers } = h.signed(
      callbackFor(payment, { merchantReference: unknownReference }),
    );
    const response = await h.deliver(raw, headers);
    expect(response.status).toBe(404);
    // The right reference with another provider id is just as unknown.
    const mismatched = h.signed(callbackFor(payment, { providerPaymentId: 'pay_someone_else' }));
    expect((await h.deliver(mismatched.raw, mismatched.headers)).status).toBe(404);
    await expectUnchanged(payment);
    const logged = await h.subgraph.prisma.providerCallback.findFirstOrThrow({
      where: { payload: { path: ['merchantReference'], equals: unknownReference } },
    });
    expect(logged).toMatchObject({
      outcome: 'UNKNOWN_PAYMENT',
      signatureValid: true,
      paymentId: null,
    });
  });

  it('does not apply a signed callback with another amount', async () => {
    const payment = await pendingPayment();
    const { raw, headers } = h.signed(callbackFor(payment, { amount: 1 }));
    const response = await h.deliver(raw, headers);
    expect(response).toMatchObject({ status: 200, body: { outcome: 'AMOUNT_MISMATCH' } });
    await expectUnchanged(payment);
  });

  it('refuses a signed body that is not a callback', async () => {
    const { raw, headers } = h.signed({ hello: 'world' });
    expect((await h.deliver(raw, headers)).status).toBe(400);
    const notJson = h.signed('not json');
    expect((await h.deliver(notJson.raw, notJson.headers)).status).toBe(400);
  });
});

describe('refunds', () => {
  it('refunds an approved after-sale request once, for its amount only, naming the request', async () => {
    const payment = await pendingPayment(6100);
    await h.complete(payment.providerPaymentId!);
    await waitForStatus(payment.id, 'SUCCEEDED');
    const refundRequestId = randomUUID();
    const { merchantId } = await row(payment.id);
    const approved = (amount: number) => ({
      id: randomUUID(),
      type: 'order.refund_approved',
      producer: 'order',
      aggregateType: 'Order',
      aggregateId: payment.order.id,
      payload: {
        orderId: payment.order.id,
        customerId,
        merchantId,
        refundRequestId,
        amount: { amount, currency: 'CNY' },
        reason: 'one bowl was missing',
        at: new Date().toISOString(),
      },
      createdAt: new Date().toISOString(),
    });
    const event = approved(1800);
    await h.handle(event);
    // Redelivered, or a second event for the same request: nothing more.
    await h.handle(event);
    await h.handle(approved(1800));

    const refunds = await waitFor(async () => {
      const rows = await h.subgraph.prisma.refund.findMany({ where: { paymentId: payment.id } });
      return rows.length === 1 && rows[0]!.status === 'SUCCEEDED' ? rows : null;
    });
    expect(refunds[0]).toMatchObject({
      amount: 1800,
      requestKey: `after-sale:${refundRequestId}`,
      reason: 'After-sale refund: one bowl was missing',
    });
    const events = await h.events('payment.refunded', payment.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({
      refundId: refunds[0]!.id,
      refundRequestId,
      amount: { amount: 1800, currency: 'CNY' },
    });
    // Partly refunded: the payment stays SUCCEEDED, and the provider paid back that much.
    expect((await row(payment.id)).status).toBe('SUCCEEDED');
    const atProvider = await h.sandboxCall('GET', `/v1/payments/${payment.providerPaymentId}`);
    expect(atProvider.body).toMatchObject({ refundedAmount: 1800 });
  });

  it('refunds a paid order once when it is cancelled, even if the event is handled twice', async () => {
    const payment = await pendingPayment(6100);
    await h.complete(payment.providerPaymentId!);
    const cancelled = h.cancelEvent(payment.order.id, customerId);
    await h.cancelOrder(cancelled);
    await h.cancelOrder(cancelled);
    // A second, different cancellation event for the same order refunds nothing more either.
    await h.cancelOrder(h.cancelEvent(payment.order.id, customerId));

    const refunded = await waitForStatus(payment.id, 'REFUNDED');
    expect(refunded.liveOrderId).toBe(payment.order.id);
    const refunds = await h.subgraph.prisma.refund.findMany({ where: { paymentId: payment.id } });
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({
      status: 'SUCCEEDED',
      amount: 6100,
      requestKey: 'order-cancelled',
      reason: 'Order cancelled: changed my mind',
    });
    expect(refunds[0]!.providerRefundId).toMatch(/^re_/);
    const events = await h.events('payment.refunded', payment.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({
      paymentId: payment.id,
      refundId: refunds[0]!.id,
      orderId: payment.order.id,
      amount: { amount: 6100, currency: 'CNY' },
    });
    const atProvider = await h.sandboxCall('GET', `/v1/payments/${payment.providerPaymentId}`);
    expect(atProvider.body).toMatchObject({ refundedAmount: 6100 });

    // Refunds are visible on the payment, oldest first.
    const viewed = await graphql<{
      payment: { status: string; refunds: { status: string; amount: { amount: number } }[] };
    }>(h.url, PAYMENT, { token, variables: { id: payment.id } });
    expect(viewed.errors).toBeUndefined();
    expect(viewed.data!.payment).toMatchObject({
      status: 'REFUNDED',
      refunds: [
        {
          status: 'SUCCEEDED',
          amount: { amount: 6100 },
          reason: 'Order cancelled: changed my mind',
        },
      ],
    });
    const stranger = await graphql<{ payment: unknown }>(h.url, PAYMENT, {
      token: h.tokenFor(randomUUID()),
      variables: { id: payment.id },
    });
    expect(stranger.data?.payment).toBeNull();
  });

  it('fails a pending payment when the order is cancelled, and refunds its late success', async () => {
    const payment = await pendingPayment(3100);
    await h.cancelOrder(h.cancelEvent(payment.order.id, customerId));
    expect(await row(payment.id)).toMatchObject({ status: 'FAILED', liveOrderId: null });

    const completed = await h.complete(payment.providerPaymentId!);
    expect(completed).toMatchObject({ delivered: true, responseStatus: 200 });
    await waitForStatus(payment.id, 'REFUNDED');
    expect(await h.events('payment.succeeded', payment.id)).toHaveLength(1);
    expect(await h.events('payment.refunded', payment.id)).toHaveLength(1);
    const refunds = await h.subgraph.prisma.refund.findMany({ where: { paymentId: payment.id } });
    expect(refunds).toMatchObject([{ status: 'SUCCEEDED', amount: 3100 }]);
  });

  it('keeps retrying a refund the provider cannot take yet', async () => {
    const payment = await pendingPayment(2200);
    await h.complete(payment.providerPaymentId!);
    await h.sandboxCall('POST', '/v1/test/faults', { failNextRefunds: 1 });
    await h.cancelOrder(h.cancelEvent(payment.order.id, customerId));
    await waitFor(async () => {
      const job = await h.subgraph.prisma.scheduledJob.findFirst({
        where: { kind: 'payment.refund', lastError: { not: null } },
      });
      return job;
    });
    await waitForStatus(payment.id, 'REFUNDED');
    expect(await h.subgraph.prisma.refund.count({ where: { paymentId: payment.id } })).toBe(1);
    expect(await h.events('payment.refunded', payment.id)).toHaveLength(1);
  });

  it('remembers a cancellation that arrives before order.placed', async () => {
    const orderId = randomUUID();
    await h.cancelOrder(h.cancelEvent(orderId, customerId));
    await h.handle({
      id: randomUUID(),
      type: 'order.placed',
      producer: 'order',
      aggregateType: 'order',
      aggregateId: orderId,
      createdAt: new Date().toISOString(),
      payload: {
        orderId,
        orderNumber: `T${Date.now()}`,
        customerId,
        merchantId: randomUUID(),
        total: { amount: 999, currency: 'CNY' },
        placedAt: new Date().toISOString(),
        paymentDueAt: null,
      },
    });
    const snapshot = await h.subgraph.prisma.orderSnapshot.findUniqueOrThrow({
      where: { orderId },
    });
    expect(snapshot.totalAmount).toBe(999);
    expect(snapshot.cancelledAt).toBeInstanceOf(Date);
    const response = await h.pay(token, { orderId, idempotencyKey: key() });
    expect(response.errors?.[0]?.extensions?.code).toBe('INVALID_STATE_TRANSITION');
  });
});
