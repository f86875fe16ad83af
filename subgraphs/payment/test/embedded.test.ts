import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaymentHarness, waitFor, type PaymentHarness } from './harness.ts';

/** The same flows on PGlite (one connection) with the in-process event transport. */
let h: PaymentHarness;
const customerId = randomUUID();

beforeAll(async () => {
  h = await startPaymentHarness({ embedded: true });
});
afterAll(async () => {
  await h?.stop();
});

describe('payment in embedded mode', () => {
  it('pays once under concurrent requests, confirms through the webhook and refunds on cancel', async () => {
    const token = h.tokenFor(customerId);
    const orderId = await h.placeOrder({ customerId, total: 2600 });
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => h.pay(token, { orderId, idempotencyKey: `k-${i % 2}` })),
    );
    for (const response of responses) expect(response.errors).toBeUndefined();
    const ids = new Set(responses.map((r) => r.data!.payOrder.id));
    expect(ids.size).toBe(1);
    const payment = responses[0]!.data!.payOrder;

    expect(await h.complete(payment.providerPaymentId!)).toMatchObject({ responseStatus: 200 });
    const paid = await h.subgraph.prisma.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(paid).toMatchObject({ status: 'SUCCEEDED', amount: 2600 });
    expect(await h.events('payment.succeeded', payment.id)).toHaveLength(1);

    await h.cancelOrder(h.cancelEvent(orderId, customerId));
    await waitFor(async () => {
      const row = await h.subgraph.prisma.payment.findUniqueOrThrow({ where: { id: payment.id } });
      return row.status === 'REFUNDED';
    });
    expect(await h.events('payment.refunded', payment.id)).toHaveLength(1);
  });
});
