import { randomUUID } from 'node:crypto';
import { RedisStreamTransport } from '@sky/events';
import { createLogger } from '@sky/logging';
import { errorCodes, graphql } from '@sky/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PAY_ORDER,
  PAYMENT,
  startPaymentHarness,
  waitFor,
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

describe('payOrder', () => {
  it('creates a PENDING payment for the order total, and the callback makes it SUCCEEDED', async () => {
    const orderId = await h.placeOrder({ customerId, total: 5678 });
    const paid = await h.pay(token, { orderId, idempotencyKey: key() });
    expect(paid.errors).toBeUndefined();
    const payment = paid.data!.payOrder;
    expect(payment).toMatchObject({
      status: 'PENDING',
      method: 'SANDBOX',
      amount: { amount: 5678, currency: 'CNY' },
      order: { id: orderId },
    });
    expect(payment.providerPaymentId).toMatch(/^pay_/);
    // The provider was asked for exactly the snapshot's total.
    const atProvider = await h.sandboxCall('GET', `/v1/payments/${payment.providerPaymentId}`);
    expect(atProvider.body).toMatchObject({
      amount: 5678,
      currency: 'CNY',
      merchantReference: payment.id,
    });

    const completed = await h.complete(payment.providerPaymentId!);
    expect(completed).toMatchObject({ delivered: true, responseStatus: 200 });

    const row = await h.subgraph.prisma.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(row).toMatchObject({ status: 'SUCCEEDED', liveOrderId: orderId, amount: 5678 });
    expect(row.paidAt).toBeInstanceOf(Date);
    const succeeded = await h.events('payment.succeeded', payment.id);
    expect(succeeded).toHaveLength(1);
    expect(succeeded[0]!.payload).toEqual({
      paymentId: payment.id,
      orderId,
      amount: { amount: 5678, currency: 'CNY' },
      paidAt: row.paidAt!.toISOString(),
    });
    const callbacks = await h.subgraph.prisma.providerCallback.findMany({
      where: { paymentId: payment.id },
    });
    expect(callbacks).toMatchObject([{ outcome: 'APPLIED', signatureValid: true }]);

    const viewed = await graphql<{ payment: { status: string; paidAt: string } }>(h.url, PAYMENT, {
      token,
      variables: { id: payment.id },
    });
    expect(viewed.data?.payment).toMatchObject({ status: 'SUCCEEDED', refunds: [] });
  });

  it('has no amount in its input: a client-supplied amount is refused by the schema', async () => {
    const orderId = await h.placeOrder({ customerId, total: 1000 });
    const response = await h.pay(token, { orderId, idempotencyKey: key(), amount: 1 });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(await h.subgraph.prisma.payment.count({ where: { orderId } })).toBe(0);
  });

  it('returns the same payment for the same key and input, and refuses the key with another input', async () => {
    const orderId = await h.placeOrder({ customerId, total: 2500 });
    const idempotencyKey = key();
    const first = (await h.pay(token, { orderId, idempotencyKey })).data!.payOrder;
    const again = (await h.pay(token, { orderId, idempotencyKey })).data!.payOrder;
    expect(again.id).toBe(first.id);

    const reused = await h.pay(token, { orderId, idempotencyKey, method: 'ALIPAY' });
    expect(errorCodes(reused)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    const otherOrder = await h.placeOrder({ customerId, total: 100 });
    const reusedElsewhere = await h.pay(token, { orderId: otherOrder, idempotencyKey });
    expect(errorCodes(reusedElsewhere)).toEqual(['IDEMPOTENCY_KEY_REUSED']);

    // Another key while the first attempt is pending answers that attempt: no second charge.
    const otherKey = (await h.pay(token, { orderId, idempotencyKey: key() })).data!.payOrder;
    expect(otherKey.id).toBe(first.id);
    expect(await h.subgraph.prisma.payment.count({ where: { orderId } })).toBe(1);
    // And once it succeeded, too.
    await h.complete(first.providerPaymentId!);
    const afterSuccess = (await h.pay(token, { orderId, idempotencyKey: key() })).data!.payOrder;
    expect(afterSuccess).toMatchObject({ id: first.id, status: 'SUCCEEDED' });
  });

  it('charges once under 10 concurrent identical requests', async () => {
    const orderId = await h.placeOrder({ customerId, total: 3300 });
    const idempotencyKey = key();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => h.pay(token, { orderId, idempotencyKey })),
    );
    for (const response of responses) expect(response.errors).toBeUndefined();
    expect(new Set(responses.map((r) => r.data!.payOrder.id)).size).toBe(1);
    expect(await h.subgraph.prisma.payment.count({ where: { orderId } })).toBe(1);
    const id = responses[0]!.data!.payOrder.id;
    const atProvider = await h.sandboxCall('GET', `/v1/payments?merchantReference=${id}`);
    expect(atProvider.status).toBe(200);
  });

  it('charges once under 10 concurrent requests with different keys', async () => {
    const orderId = await h.placeOrder({ customerId, total: 3400 });
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => h.pay(token, { orderId, idempotencyKey: key() })),
    );
    for (const response of responses) expect(response.errors).toBeUndefined();
    expect(new Set(responses.map((r) => r.data!.payOrder.id)).size).toBe(1);
    expect(await h.subgraph.prisma.payment.count({ where: { orderId } })).toBe(1);
  });

  it('lets the customer try again with a new key after a decline', async () => {
    const orderId = await h.placeOrder({ customerId, total: 4400 });
    const declinedKey = key();
    const first = (
      await h.pay(token, { orderId, idempotencyKey: declinedKey, testOutcome: 'DECLINE' })
    ).data!.payOrder;
    await h.complete(first.providerPaymentId!);
    const declined = await h.subgraph.prisma.payment.findUniqueOrThrow({ where: { id: first.id } });
    expect(declined).toMatchObject({ status: 'DECLINED', liveOrderId: null });
    expect(declined.failureReason).toBeTruthy();
    expect(await h.events('payment.declined', first.id)).toHaveLength(1);
    expect(await h.events('payment.succeeded', first.id)).toHaveLength(0);

    // The old key still answers the declined attempt.
    const replayed = (
      await h.pay(token, { orderId, idempotencyKey: declinedKey, testOutcome: 'DECLINE' })
    ).data!.payOrder;
    expect(replayed).toMatchObject({ id: first.id, status: 'DECLINED' });

    const retry = (await h.pay(token, { orderId, idempotencyKey: key() })).data!.payOrder;
    expect(retry.id).not.toBe(first.id);
    expect(retry).toMatchObject({ status: 'PENDING', amount: { amount: 4400 } });
    await h.complete(retry.providerPaymentId!);
    const paid = await h.subgraph.prisma.payment.findUniqueOrThrow({ where: { id: retry.id } });
    expect(paid).toMatchObject({ status: 'SUCCEEDED', liveOrderId: orderId });
  });

  it('pays an order known only to the order subgraph, and refuses one not waiting for payment', async () => {
    const orderId = randomUUID();
    h.orders.set(orderId, {
      orderId,
      orderNumber: 'X1',
      customerId,
      merchantId: randomUUID(),
      status: 'PENDING_PAYMENT',
      payStatus: 'UNPAID',
      total: { amount: 7777, currency: 'CNY' },
      paymentDueAt: new Date(Date.now() + 60_000).toISOString(),
    });
    const paid = await h.pay(token, { orderId, idempotencyKey: key() });
    expect(paid.data?.payOrder).toMatchObject({ status: 'PENDING', amount: { amount: 7777 } });
    const snapshot = await h.subgraph.prisma.orderSnapshot.findUniqueOrThrow({
      where: { orderId },
    });
    expect(snapshot).toMatchObject({ totalAmount: 7777, customerId, cancelledAt: null });

    const confirmed = randomUUID();
    h.orders.set(confirmed, {
      ...h.orders.get(orderId)!,
      orderId: confirmed,
      status: 'TO_BE_CONFIRMED',
      payStatus: 'PAID',
    });
    const refused = await h.pay(token, { orderId: confirmed, idempotencyKey: key() });
    expect(errorCodes(refused)).toEqual(['INVALID_STATE_TRANSITION']);
    const unknown = await h.pay(token, { orderId: randomUUID(), idempotencyKey: key() });
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
  });

  it('refuses other customers, anonymous callers and bad input', async () => {
    const orderId = await h.placeOrder({ customerId, total: 900 });
    const stranger = await h.pay(h.tokenFor(randomUUID()), { orderId, idempotencyKey: key() });
    expect(errorCodes(stranger)).toEqual(['FORBIDDEN']);
    const anonymous = await graphql(h.url, PAY_ORDER, {
      variables: { input: { orderId, idempotencyKey: key() } },
    });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    const emptyKey = await h.pay(token, { orderId, idempotencyKey: '  ' });
    expect(errorCodes(emptyKey)).toEqual(['BAD_USER_INPUT']);
    expect(emptyKey.errors![0]!.extensions).toMatchObject({ field: 'idempotencyKey' });
    const longKey = await h.pay(token, { orderId, idempotencyKey: 'k'.repeat(256) });
    expect(longKey.errors![0]!.extensions).toMatchObject({ field: 'idempotencyKey' });
    const badId = await h.pay(token, { orderId: 'nope', idempotencyKey: key() });
    expect(badId.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'orderId',
    });
    expect(await h.subgraph.prisma.payment.count({ where: { orderId } })).toBe(0);
  });

  it('refuses a cancelled order and one past its payment deadline', async () => {
    const orderId = await h.placeOrder({ customerId, total: 800 });
    await h.cancelOrder(h.cancelEvent(orderId, customerId));
    const cancelled = await h.pay(token, { orderId, idempotencyKey: key() });
    expect(errorCodes(cancelled)).toEqual(['INVALID_STATE_TRANSITION']);
    const late = await h.placeOrder({
      customerId,
      total: 800,
      paymentDueAt: new Date(Date.now() - 1000),
    });
    expect(errorCodes(await h.pay(token, { orderId: late, idempotencyKey: key() }))).toEqual([
      'INVALID_STATE_TRANSITION',
    ]);
  });

  it('fails the attempt when the provider is down, and a new key then works', async () => {
    const orderId = await h.placeOrder({ customerId, total: 1200 });
    await h.sandboxCall('POST', '/v1/test/faults', { failNextPayments: 1 });
    const failed = (await h.pay(token, { orderId, idempotencyKey: key() })).data!.payOrder;
    expect(failed).toMatchObject({ status: 'FAILED', providerPaymentId: null });
    expect(failed.failureReason).toMatch(/could not be reached/);
    const retry = (await h.pay(token, { orderId, idempotencyKey: key() })).data!.payOrder;
    expect(retry).toMatchObject({ status: 'PENDING' });
    expect(retry.id).not.toBe(failed.id);
  });

  it('fails a payment the provider never settles, and a late success is then accepted', async () => {
    const orderId = await h.placeOrder({ customerId, total: 1300 });
    const payment = (await h.pay(token, { orderId, idempotencyKey: key(), testOutcome: 'TIMEOUT' }))
      .data!.payOrder;
    // Reconciliation is due later; bring it forward.
    await h.subgraph.prisma.scheduledJob.update({
      where: { key: `payment.reconcile:${payment.id}` },
      data: { dueAt: new Date() },
    });
    const failed = await waitForStatus(payment.id, 'FAILED');
    expect(failed.liveOrderId).toBeNull();

    await h.complete(payment.providerPaymentId!, 'success');
    const accepted = await waitForStatus(payment.id, 'SUCCEEDED');
    expect(accepted.liveOrderId).toBe(orderId);
    expect(await h.events('payment.succeeded', payment.id)).toHaveLength(1);
  });

  it('refunds a late success of an attempt another attempt has replaced', async () => {
    const orderId = await h.placeOrder({ customerId, total: 1400 });
    const stale = (await h.pay(token, { orderId, idempotencyKey: key(), testOutcome: 'TIMEOUT' }))
      .data!.payOrder;
    await h.subgraph.prisma.scheduledJob.update({
      where: { key: `payment.reconcile:${stale.id}` },
      data: { dueAt: new Date() },
    });
    await waitForStatus(stale.id, 'FAILED');
    const fresh = (await h.pay(token, { orderId, idempotencyKey: key() })).data!.payOrder;
    await h.complete(fresh.providerPaymentId!);
    await waitForStatus(fresh.id, 'SUCCEEDED');

    await h.complete(stale.providerPaymentId!, 'success');
    const refunded = await waitForStatus(stale.id, 'REFUNDED');
    expect(refunded.liveOrderId).toBeNull();
    expect(await h.events('payment.succeeded', stale.id)).toHaveLength(0);
    expect(await h.events('payment.refunded', stale.id)).toHaveLength(1);
    const fresher = await h.subgraph.prisma.payment.findUniqueOrThrow({ where: { id: fresh.id } });
    expect(fresher).toMatchObject({ status: 'SUCCEEDED', liveOrderId: orderId });
  });
});

function waitForStatus(id: string, status: string) {
  return waitFor(async () => {
    const row = await h.subgraph.prisma.payment.findUniqueOrThrow({ where: { id } });
    return row.status === status ? row : null;
  });
}

describe('event consumers', () => {
  it('takes order.placed from the event stream and acknowledges it to the order subgraph', async () => {
    const transport = new RedisStreamTransport(
      'redis://127.0.0.1:6379',
      h.namespace,
      createLogger('test', 'silent'),
    );
    const orderId = randomUUID();
    const eventId = randomUUID();
    const acks: string[] = [];
    const stop = new AbortController();
    const consuming = transport.consume(
      'acks:order',
      'order',
      async (body) => {
        acks.push(body);
      },
      stop.signal,
    );
    try {
      // The publisher fails fast until its connection is up (the relay retries the same way).
      const publish = (body: string) =>
        waitFor(() =>
          transport.append('events', body).then(
            () => true,
            () => false,
          ),
        );
      await publish(
        JSON.stringify({
          id: eventId,
          type: 'order.placed',
          producer: 'order',
          aggregateType: 'order',
          aggregateId: orderId,
          createdAt: new Date().toISOString(),
          payload: {
            orderId,
            orderNumber: 'S1',
            customerId,
            merchantId: randomUUID(),
            total: { amount: 4321, currency: 'CNY' },
            placedAt: new Date().toISOString(),
            paymentDueAt: new Date(Date.now() + 60_000).toISOString(),
          },
        }),
      );
      const snapshot = await waitFor(() =>
        h.subgraph.prisma.orderSnapshot.findUnique({ where: { orderId } }),
      );
      expect(snapshot).toMatchObject({ totalAmount: 4321, customerId });
      await waitFor(async () => acks.length > 0);
      expect(JSON.parse(acks[0]!)).toEqual({ eventId, consumer: 'payment' });
      const paid = await h.pay(token, { orderId, idempotencyKey: key() });
      expect(paid.data?.payOrder.amount).toEqual({ amount: 4321, currency: 'CNY' });
    } finally {
      stop.abort();
      await consuming;
      await transport.close();
    }
  });
});
