import { findDemoUser, merchants } from '@sky/demo-data';
import { graphql, type GraphQLResponse } from '@sky/testkit';
import { randomUUID } from 'node:crypto';

/** What a frontend does, step by step, through the gateway (used by tests and benchmarks). */

export const noodleHouse = merchants.find((m) => m.name.includes('Noodle'))!;
export const goldenDumpling = merchants.find((m) => m.name.includes('Dumpling'))!;
export const dishNamed = (merchant: (typeof merchants)[number], prefix: string) =>
  merchant.dishes.find((d) => d.name.startsWith(prefix))!;

/** Settings for a fast, deterministic test platform: payments complete only when triggered. */
export const ORDERING_ENV = {
  SANDBOX_CALLBACK_DELAY_MS: '600000',
  EVENT_POLL_INTERVAL_MS: '50',
  EVENT_REDELIVER_AFTER_MS: '1000',
};

function ok<T>(response: GraphQLResponse<T>): T {
  if (response.errors?.length) throw new Error(JSON.stringify(response.errors));
  return response.data as T;
}

export interface Customer {
  token: string;
  userId: string;
  addressId: string;
}

/** Registers a customer with one address near the given merchant. */
export async function newCustomer(
  gatewayUrl: string,
  near: { latitude: number; longitude: number },
): Promise<Customer> {
  const registered = ok(
    await graphql<{ register: { accessToken: string; user: { id: string } } }>(
      gatewayUrl,
      `
        mutation ($input: RegisterInput!) {
          register(input: $input) {
            accessToken
            user {
              id
            }
          }
        }
      `,
      {
        variables: {
          input: {
            email: `c-${randomUUID()}@example.com`,
            password: 'a long password',
            name: 'Test Customer',
          },
        },
      },
    ),
  );
  const token = registered.register.accessToken;
  const address = ok(
    await graphql<{ addAddress: { id: string } }>(
      gatewayUrl,
      `
        mutation ($input: AddAddressInput!) {
          addAddress(input: $input) {
            id
          }
        }
      `,
      {
        token,
        variables: {
          input: {
            contactName: 'Test Customer',
            phone: '+8613900000000',
            detail: '上海市 测试路 1 号',
            location: { latitude: near.latitude + 0.002, longitude: near.longitude + 0.002 },
          },
        },
      },
    ),
  );
  return { token, userId: registered.register.user.id, addressId: address.addAddress.id };
}

export async function addToCart(
  gatewayUrl: string,
  token: string,
  input: { merchantId: string; dishId: string; flavor?: string | null; quantity?: number },
) {
  return graphql(
    gatewayUrl,
    `
      mutation ($input: AddToCartInput!) {
        addToCart(input: $input) {
          id
        }
      }
    `,
    {
      token,
      variables: { input },
    },
  );
}

/**
 * `count` new customers, each with one dish of `merchant` in the cart: a benchmark's orders to
 * place (placing an order empties the cart, so each order needs its own).
 */
export async function customersWithFilledCarts(
  gatewayUrl: string,
  count: number,
  merchant: typeof noodleHouse,
  dish: { id: string },
  flavor: string | null = null,
): Promise<Customer[]> {
  const customers: Customer[] = [];
  for (let i = 0; i < count; i++) {
    const customer = await newCustomer(gatewayUrl, merchant);
    const added = await addToCart(gatewayUrl, customer.token, {
      merchantId: merchant.id,
      dishId: dish.id,
      flavor,
    });
    if (added.errors) throw new Error(JSON.stringify(added.errors));
    customers.push(customer);
  }
  return customers;
}

export async function placeOrder(
  gatewayUrl: string,
  customer: Customer,
  merchantId: string,
  idempotencyKey = randomUUID(),
) {
  return graphql<{ placeOrder: { id: string; status: string; total: { amount: number } } }>(
    gatewayUrl,
    'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status total { amount currency } } }',
    {
      token: customer.token,
      variables: {
        input: { merchantId, addressId: customer.addressId, idempotencyKey, tablewareCount: 1 },
      },
    },
  );
}

/** Cart with one dish, then an order; returns the order id. */
export async function orderOneDish(
  gatewayUrl: string,
  customer: Customer,
  merchantId: string,
  dishId: string,
  flavor: string | null = null,
): Promise<string> {
  ok(await addToCart(gatewayUrl, customer.token, { merchantId, dishId, flavor }));
  return ok(await placeOrder(gatewayUrl, customer, merchantId)).placeOrder.id;
}

export async function payOrder(
  gatewayUrl: string,
  token: string,
  orderId: string,
  idempotencyKey = randomUUID(),
) {
  return graphql<{
    payOrder: { id: string; status: string; providerPaymentId: string; amount: { amount: number } };
  }>(
    gatewayUrl,
    `
      mutation ($input: PayOrderInput!) {
        payOrder(input: $input) {
          id
          status
          providerPaymentId
          amount {
            amount
            currency
          }
        }
      }
    `,
    { token, variables: { input: { orderId, idempotencyKey } } },
  );
}

/** The sandbox provider's test-only trigger: the payment succeeds and the provider calls back. */
export async function completePayment(
  sandboxUrl: string,
  providerPaymentId: string,
): Promise<void> {
  const response = await fetch(`${sandboxUrl}/v1/test/payments/${providerPaymentId}/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (response.status >= 300) throw new Error(`sandbox trigger answered ${response.status}`);
}

export async function orderState(gatewayUrl: string, token: string, orderId: string) {
  const response = await graphql<{
    order: {
      status: string;
      payStatus: string;
      version: number;
      statusHistory: { to: string }[];
    } | null;
  }>(
    gatewayUrl,
    'query($id: ID!) { order(id: $id) { status payStatus version statusHistory { to } } }',
    {
      token,
      variables: { id: orderId },
    },
  );
  return response.data?.order ?? null;
}

/** Polls the order (as `token`) until it matches `expected`, or fails after `timeout` ms. */
export async function waitForOrder(
  gatewayUrl: string,
  token: string,
  orderId: string,
  expected: { status: string; payStatus?: string },
  timeout = 15_000,
) {
  const deadline = Date.now() + timeout;
  let state: Awaited<ReturnType<typeof orderState>> = null;
  while (Date.now() < deadline) {
    state = await orderState(gatewayUrl, token, orderId);
    if (
      state?.status === expected.status &&
      (expected.payStatus === undefined || state.payStatus === expected.payStatus)
    ) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `order ${orderId} is ${JSON.stringify(state)}, expected ${JSON.stringify(expected)}`,
  );
}

/** Places and pays an order (the sandbox calls back), until the order is TO_BE_CONFIRMED. */
export async function paidOrder(
  gatewayUrl: string,
  sandboxUrl: string,
  customer: Customer,
  merchantId: string,
  dishId: string,
  flavor: string | null = null,
): Promise<string> {
  const orderId = await orderOneDish(gatewayUrl, customer, merchantId, dishId, flavor);
  const payment = ok(await payOrder(gatewayUrl, customer.token, orderId)).payOrder;
  await completePayment(sandboxUrl, payment.providerPaymentId);
  await waitForOrder(gatewayUrl, customer.token, orderId, {
    status: 'TO_BE_CONFIRMED',
    payStatus: 'PAID',
  });
  return orderId;
}

export const demoAccount = (key: string) => findDemoUser(key);
export { ok };

/**
 * What ORDER_ACROSS_ALL_SUBGRAPHS answers for the demo customer's completed order, one field from
 * each subgraph: customer (user), merchant (catalog), payment, the rider (delivery).
 */
export const DEMO_COMPLETED_ORDER_ACROSS_ALL_SUBGRAPHS = {
  order: {
    customer: { name: '张丽 Alice Zhang' },
    merchant: { name: '天空面馆 Sky Noodle House' },
    payment: { status: 'SUCCEEDED' },
    delivery: { rider: { user: { name: '李骑手 Rider Li' } } },
  },
};
