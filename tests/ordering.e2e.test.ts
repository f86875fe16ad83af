import { errorCodes, graphql } from '@sky/testkit';
import { startTestSupergraph, type TestSupergraph } from './supergraph.ts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addToCart,
  completePayment,
  dishNamed,
  goldenDumpling,
  newCustomer,
  noodleHouse,
  ok,
  ORDERING_ENV,
  orderOneDish,
  orderState,
  payOrder,
  placeOrder,
  waitForOrder,
} from './flows.ts';
import { signIn } from './helpers.ts';

let supergraph: TestSupergraph;
beforeAll(async () => {
  supergraph = await startTestSupergraph({ env: ORDERING_ENV });
});
afterAll(async () => {
  await supergraph?.stop();
});

/** Every Money in a response is an integer number of minor units. */
function expectIntegerMoney(value: unknown): void {
  if (Array.isArray(value)) return value.forEach(expectIntegerMoney);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('amount' in record && 'currency' in record) {
      expect(Number.isInteger(record.amount)).toBe(true);
    }
    Object.values(record).forEach(expectIntegerMoney);
  }
}

describe('the whole happy path through the gateway', () => {
  it('register, browse, cart, place, pay (sandbox callback), merchant accepts: CONFIRMED and PAID', async () => {
    const gateway = supergraph.gatewayUrl;
    const customer = await newCustomer(gateway, noodleHouse);

    const browse = ok(
      await graphql<{
        merchants: {
          edges: {
            node: {
              id: string;
              dishes: {
                edges: { node: { id: string; name: string; flavors: { options: string[] }[] } }[];
              };
            };
          }[];
        };
      }>(
        gateway,
        `
          query ($near: GeoPointInput!) {
            merchants(first: 5, near: $near) {
              edges {
                node {
                  id
                  name
                  dishes(first: 20) {
                    edges {
                      node {
                        id
                        name
                        price {
                          amount
                        }
                        flavors {
                          name
                          options
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        `,
        {
          variables: { near: { latitude: noodleHouse.latitude, longitude: noodleHouse.longitude } },
        },
      ),
    );
    const shop = browse.merchants.edges.find((e) => e.node.id === noodleHouse.id)!.node;
    const beef = shop.dishes.edges.find((e) => e.node.name.startsWith('红烧牛肉面'))!.node;
    const noodles = shop.dishes.edges.find((e) => e.node.name.startsWith('葱油拌面'))!.node;

    ok(
      await addToCart(gateway, customer.token, {
        merchantId: shop.id,
        dishId: beef.id,
        flavor: beef.flavors[0]!.options[1]!,
        quantity: 2,
      }),
    );
    ok(await addToCart(gateway, customer.token, { merchantId: shop.id, dishId: noodles.id }));
    const placed = ok(await placeOrder(gateway, customer, shop.id)).placeOrder;
    expect(placed.status).toBe('PENDING_PAYMENT');
    // Computed by the server: 2 × 3200 + 1800 + 3 × 100 packing + 500 delivery.
    expect(placed.total.amount).toBe(2 * 3200 + 1800 + 3 * 100 + 500);

    const payment = ok(await payOrder(gateway, customer.token, placed.id)).payOrder;
    expect(payment).toMatchObject({ status: 'PENDING', amount: { amount: placed.total.amount } });
    await completePayment(supergraph.paymentSandboxUrl, payment.providerPaymentId);
    await waitForOrder(gateway, customer.token, placed.id, {
      status: 'TO_BE_CONFIRMED',
      payStatus: 'PAID',
    });

    const staff = await signIn(gateway, 'staff-noodle-house');
    ok(
      await graphql(gateway, 'mutation($id: ID!) { acceptOrder(id: $id) { status } }', {
        token: staff,
        variables: { id: placed.id },
      }),
    );

    const detail = await graphql(
      gateway,
      `
        query ($id: ID!) {
          order(id: $id) {
            status
            payStatus
            total {
              amount
              currency
            }
            itemsTotal {
              amount
              currency
            }
            packingFee {
              amount
              currency
            }
            deliveryFee {
              amount
              currency
            }
            customer {
              name
            }
            merchant {
              name
            }
            items {
              name
              flavor
              quantity
              unitPrice {
                amount
                currency
              }
              lineTotal {
                amount
                currency
              }
              dish {
                name
                price {
                  amount
                  currency
                }
              }
            }
            payment {
              status
              amount {
                amount
                currency
              }
            }
            statusHistory {
              from
              to
              actor
            }
          }
        }
      `,
      { token: customer.token, variables: { id: placed.id } },
    );
    expect(detail.errors).toBeUndefined();
    expect(detail.data).toMatchObject({
      order: {
        status: 'CONFIRMED',
        payStatus: 'PAID',
        customer: { name: 'Test Customer' },
        merchant: { name: noodleHouse.name },
        payment: { status: 'SUCCEEDED', amount: { amount: placed.total.amount } },
      },
    });
    const history = (
      detail.data as { order: { statusHistory: { to: string }[] } }
    ).order.statusHistory.map((h) => h.to);
    expect(history).toEqual(['PENDING_PAYMENT', 'TO_BE_CONFIRMED', 'CONFIRMED']);
    expectIntegerMoney(detail.data);
  });
});

describe('stock under concurrency', () => {
  it('50 customers ordering 1 unit of a dish with 10 left: exactly 10 succeed, the rest SOLD_OUT, stock 0', async () => {
    const gateway = supergraph.gatewayUrl;
    const dish = dishNamed(goldenDumpling, '三鲜水饺');
    expect(dish.dailyStock).toBe(10);
    const customers = [];
    for (let i = 0; i < 50; i++) {
      const customer = await newCustomer(gateway, goldenDumpling);
      ok(
        await addToCart(gateway, customer.token, {
          merchantId: goldenDumpling.id,
          dishId: dish.id,
        }),
      );
      customers.push(customer);
    }
    const results = await Promise.all(
      customers.map((c) => placeOrder(gateway, c, goldenDumpling.id)),
    );
    const placed = results.filter((r) => r.data?.placeOrder);
    const refusals = results.filter((r) => !r.data?.placeOrder).map((r) => errorCodes(r)[0]);
    expect(placed).toHaveLength(10);
    expect(refusals).toEqual(Array.from({ length: 40 }, () => 'SOLD_OUT'));
    const stock = await graphql<{ dish: { stockLeftToday: number } }>(
      gateway,
      'query($id: ID!) { dish(id: $id) { stockLeftToday } }',
      {
        variables: { id: dish.id },
      },
    );
    expect(stock.data?.dish.stockLeftToday).toBe(0);
  });
});

describe('idempotency keys', () => {
  it('the same placeOrder repeated concurrently with one key gives one order; other input → IDEMPOTENCY_KEY_REUSED', async () => {
    const gateway = supergraph.gatewayUrl;
    const customer = await newCustomer(gateway, noodleHouse);
    ok(
      await addToCart(gateway, customer.token, {
        merchantId: noodleHouse.id,
        dishId: dishNamed(noodleHouse, '葱油拌面').id,
        quantity: 2,
      }),
    );
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => placeOrder(gateway, customer, noodleHouse.id, key)),
    );
    const ids = new Set(results.map((r) => ok(r).placeOrder.id));
    expect(ids.size).toBe(1);
    const orders = await graphql<{ myOrders: { edges: unknown[] } }>(
      gateway,
      '{ myOrders(first: 50) { edges { node { id } } } }',
      {
        token: customer.token,
      },
    );
    expect(orders.data?.myOrders.edges).toHaveLength(1);
    const reused = await graphql(
      gateway,
      `
        mutation ($input: PlaceOrderInput!) {
          placeOrder(input: $input) {
            id
          }
        }
      `,
      {
        token: customer.token,
        variables: {
          input: {
            merchantId: noodleHouse.id,
            addressId: customer.addressId,
            idempotencyKey: key,
            remark: 'different',
          },
        },
      },
    );
    expect(errorCodes(reused)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
  });

  it('the same payOrder repeated concurrently with one key charges once', async () => {
    const gateway = supergraph.gatewayUrl;
    const customer = await newCustomer(gateway, noodleHouse);
    const orderId = await orderOneDish(
      gateway,
      customer,
      noodleHouse.id,
      dishNamed(noodleHouse, '红烧牛肉面').id,
      '微辣 Mild',
    );
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => payOrder(gateway, customer.token, orderId, key)),
    );
    const payments = results.map((r) => ok(r).payOrder);
    expect(new Set(payments.map((p) => p.id)).size).toBe(1);
    // Answers racing the provider call may not carry its reference yet; none carries another.
    const providerIds = new Set(payments.map((p) => p.providerPaymentId).filter(Boolean));
    expect(providerIds.size).toBe(1);
    // Another key while that payment is pending still returns it: paying twice charges once.
    const again = ok(await payOrder(gateway, customer.token, orderId)).payOrder;
    expect(again.id).toBe(payments[0]!.id);
    expect(providerIds.has(again.providerPaymentId)).toBe(true);
    await completePayment(supergraph.paymentSandboxUrl, again.providerPaymentId);
    await waitForOrder(gateway, customer.token, orderId, {
      status: 'TO_BE_CONFIRMED',
      payStatus: 'PAID',
    });
    // The provider knows exactly one payment for our payment id.
    const provider = await fetch(
      `${supergraph.paymentSandboxUrl}/v1/payments?merchantReference=${encodeURIComponent(again.id)}`,
    );
    expect(provider.status).toBe(200);
  });
});

describe('payment callbacks', () => {
  it('a forged, tampered or replayed callback changes nothing', async () => {
    const gateway = supergraph.gatewayUrl;
    const customer = await newCustomer(gateway, noodleHouse);
    const orderId = await orderOneDish(
      gateway,
      customer,
      noodleHouse.id,
      dishNamed(noodleHouse, '红烧牛肉面').id,
      '微辣 Mild',
    );
    const payment = ok(await payOrder(gateway, customer.token, orderId)).payOrder;
    const webhook = supergraph.subgraphUrls.payment!.replace('/graphql', '/webhooks/sandbox');
    const body = JSON.stringify({
      eventId: randomUUID(),
      providerPaymentId: payment.providerPaymentId,
      merchantReference: payment.id,
      status: 'SUCCEEDED',
      amount: payment.amount.amount,
      currency: 'CNY',
      occurredAt: new Date().toISOString(),
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const forged = await fetch(webhook, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-sandbox-timestamp': timestamp,
        'x-sandbox-signature': 'ab'.repeat(32),
      },
      body,
    });
    expect(forged.status).toBe(401);
    const unsigned = await fetch(webhook, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unsigned.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(await orderState(gateway, customer.token, orderId)).toMatchObject({
      status: 'PENDING_PAYMENT',
      payStatus: 'UNPAID',
    });

    // The genuine callback, then the provider delivering the very same callback again.
    await completePayment(supergraph.paymentSandboxUrl, payment.providerPaymentId);
    await waitForOrder(gateway, customer.token, orderId, {
      status: 'TO_BE_CONFIRMED',
      payStatus: 'PAID',
    });
    const before = await orderState(gateway, customer.token, orderId);
    const replay = await fetch(
      `${supergraph.paymentSandboxUrl}/v1/test/payments/${payment.providerPaymentId}/redeliver`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      },
    );
    expect(replay.status).toBeLessThan(300);
    await new Promise((r) => setTimeout(r, 500));
    expect(await orderState(gateway, customer.token, orderId)).toEqual(before);
  });
});
