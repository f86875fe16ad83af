import { graphql, startPrivateRedis, type PrivateRedis } from '@sky/testkit';
import { startTestSupergraph, type TestSupergraph } from './supergraph.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completePayment,
  dishNamed,
  newCustomer,
  noodleHouse,
  ok,
  ORDERING_ENV,
  orderOneDish,
  orderState,
  payOrder,
  waitForOrder,
} from './flows.ts';

/**
 * The platform in server mode on a private redis-server that the test takes down and wipes:
 * PostgreSQL is the durable record, Redis only the transport (docs/architecture.md, section 2.2).
 */
let redis: PrivateRedis;
let supergraph: TestSupergraph;
beforeAll(async () => {
  redis = await startPrivateRedis();
  supergraph = await startTestSupergraph({ env: ORDERING_ENV, redisUrl: redis.url });
});
afterAll(async () => {
  await supergraph?.stop();
  await redis?.stop();
});

const beef = () => dishNamed(noodleHouse, '红烧牛肉面').id;

describe('events survive Redis trouble mid-flow', () => {
  it('Redis down while the payment succeeds, back empty: the order becomes TO_BE_CONFIRMED exactly once', async () => {
    const gateway = supergraph.gatewayUrl;
    const customer = await newCustomer(gateway, noodleHouse);
    const orderId = await orderOneDish(gateway, customer, noodleHouse.id, beef(), '微辣 Mild');
    const payment = ok(await payOrder(gateway, customer.token, orderId)).payOrder;

    await redis.stop();
    // The provider's callback commits the payment and its payment.succeeded event in PostgreSQL;
    // with no transport the order cannot hear of it yet.
    await completePayment(supergraph.paymentSandboxUrl, payment.providerPaymentId);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await orderState(gateway, customer.token, orderId)).toMatchObject({
      status: 'PENDING_PAYMENT',
      payStatus: 'UNPAID',
    });

    await redis.start();
    await waitForOrder(
      gateway,
      customer.token,
      orderId,
      { status: 'TO_BE_CONFIRMED', payStatus: 'PAID' },
      30_000,
    );
    // Redelivery continues until acknowledged; give it time to try, then count the transitions.
    await new Promise((r) => setTimeout(r, 2_500));
    const state = await orderState(gateway, customer.token, orderId);
    expect(state!.statusHistory.filter((h) => h.to === 'TO_BE_CONFIRMED')).toHaveLength(1);
  });

  it('Redis loses its contents between publish and consumption: the cancellation still refunds once', async () => {
    const gateway = supergraph.gatewayUrl;
    const customer = await newCustomer(gateway, noodleHouse);
    const orderId = await orderOneDish(gateway, customer, noodleHouse.id, beef(), '微辣 Mild');
    const payment = ok(await payOrder(gateway, customer.token, orderId)).payOrder;
    await completePayment(supergraph.paymentSandboxUrl, payment.providerPaymentId);
    await waitForOrder(gateway, customer.token, orderId, {
      status: 'TO_BE_CONFIRMED',
      payStatus: 'PAID',
    });

    ok(
      await graphql(
        gateway,
        'mutation($id: ID!) { cancelOrder(id: $id, reason: "changed my mind") { status } }',
        { token: customer.token, variables: { id: orderId } },
      ),
    );
    // Wipe Redis right away: whatever order.cancelled messages were in flight are gone.
    await redis.stop();
    await redis.start();
    await waitForOrder(
      gateway,
      customer.token,
      orderId,
      { status: 'CANCELLED', payStatus: 'REFUNDED' },
      30_000,
    );
    await new Promise((r) => setTimeout(r, 2_500));
    const refunds = await graphql<{
      order: { payment: { status: string; refunds: { status: string }[] } };
    }>(
      gateway,
      'query($id: ID!) { order(id: $id) { payment { status refunds { status amount { amount } } } } }',
      { token: customer.token, variables: { id: orderId } },
    );
    expect(refunds.data?.order.payment.status).toBe('REFUNDED');
    expect(refunds.data?.order.payment.refunds).toHaveLength(1);
  });
});
