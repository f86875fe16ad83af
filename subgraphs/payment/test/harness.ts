import express from 'express';
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { notFound } from '@sky/errors';
import type { DomainEvent } from '@sky/events';
import { createLogger } from '@sky/logging';
import { implement, mountInternalApi, requestContext } from '@sky/server-kit';
import { graphql, startTestSubgraph, TEST_ENV } from '@sky/testkit';
import {
  createPaymentSandbox,
  loadConfig as loadSandboxConfig,
  type PaymentSandbox,
} from '@sky/payment-sandbox';
import { loadConfig } from '../src/config.ts';
import { createPaymentSubgraph, type PaymentSubgraph } from '../src/server.ts';
import { orderForPayment, type OrderForPayment } from '@sky/contracts';

export const WEBHOOK_SECRET = 'payment-webhook-test-secret-0123456789';

export const PAY_ORDER = /* GraphQL */ `
  mutation PayOrder($input: PayOrderInput!) {
    payOrder(input: $input) {
      id
      status
      method
      providerPaymentId
      failureReason
      amount {
        amount
        currency
      }
      order {
        id
      }
    }
  }
`;

export const PAYMENT = /* GraphQL */ `
  query Payment($id: ID!) {
    payment(id: $id) {
      id
      status
      paidAt
      amount {
        amount
        currency
      }
      refunds {
        id
        status
        reason
        providerRefundId
        amount {
          amount
          currency
        }
        completedAt
      }
    }
  }
`;

export interface PaidPayment {
  id: string;
  status: string;
  method: string;
  providerPaymentId: string | null;
  failureReason: string | null;
  amount: { amount: number; currency: string };
  order: { id: string };
}

/**
 * The payment subgraph in server mode on a fresh database, with a real sandbox provider (its
 * timer long enough that only the test trigger settles payments) and a stand-in for the order
 * subgraph's `order-for-payment`.
 */
export interface PaymentHarness {
  subgraph: PaymentSubgraph;
  url: string;
  sandbox: PaymentSandbox;
  sandboxUrl: string;
  /** The event namespace of this subgraph's streams. */
  namespace: string;
  /** Orders the stand-in order subgraph knows (for payOrder without a snapshot). */
  orders: Map<string, OrderForPayment>;
  tokenFor(userId: string): string;
  /** Delivers order.placed to the subgraph's handler (as the consumer would) and returns the order id. */
  placeOrder(options: { customerId: string; total: number; paymentDueAt?: Date }): Promise<string>;
  /** Delivers order.cancelled to the handler; pass the same event to see it handled twice. */
  cancelOrder(event: DomainEvent): Promise<void>;
  /** Runs the subgraph's handler of `event.type` in a transaction, without the deduplication. */
  handle(event: DomainEvent): Promise<void>;
  cancelEvent(orderId: string, customerId: string): DomainEvent;
  pay(
    token: string,
    input: Record<string, unknown>,
  ): Promise<Awaited<ReturnType<typeof graphql<{ payOrder: PaidPayment }>>>>;
  /** The sandbox's test trigger; answers its JSON. */
  complete(
    providerPaymentId: string,
    outcome?: 'success' | 'decline',
  ): Promise<Record<string, unknown>>;
  sandboxCall(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  /** POSTs to the webhook with the given headers. */
  deliver(
    rawBody: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Signs a body as the provider would (`timestamp` defaults to now). */
  signed(body: unknown, timestamp?: number): { raw: string; headers: Record<string, string> };
  events(type: string, aggregateId: string): Promise<{ payload: unknown }[]>;
  stop(): Promise<void>;
}

const MERCHANT_ID = '00000000-0000-4000-a000-0000000000aa';

export async function waitFor<T>(
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startPaymentHarness(
  options: { env?: Record<string, string>; embedded?: boolean } = {},
): Promise<PaymentHarness> {
  const sandbox = createPaymentSandbox(
    loadSandboxConfig({
      PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      SANDBOX_CALLBACK_DELAY_MS: '600000',
      SANDBOX_CALLBACK_RETRY_BASE_MS: '100',
      SANDBOX_CALLBACK_MAX_ATTEMPTS: '3',
      LOG_LEVEL: 'silent',
    }),
  );
  const { url: sandboxUrl } = await sandbox.listen(0);

  // The order subgraph's side of `order-for-payment`, as its contract describes it.
  const orders = new Map<string, OrderForPayment>();
  const orderApp = express();
  orderApp.use(requestContext(createLogger('order-stand-in', 'silent')));
  mountInternalApi(orderApp, TEST_ENV.INTERNAL_API_TOKEN!, [
    implement(orderForPayment, async ({ orderId }) => {
      const order = orders.get(orderId);
      if (!order) throw notFound('Order');
      return order;
    }),
  ]);
  const orderServer: Server = createServer(orderApp);
  await new Promise<void>((resolve) => orderServer.listen(0, '127.0.0.1', resolve));
  const orderUrl = `http://127.0.0.1:${(orderServer.address() as AddressInfo).port}/graphql`;

  const harness = await startTestSubgraph({
    name: 'payment',
    embedded: options.embedded,
    env: {
      EVENT_POLL_INTERVAL_MS: '50',
      PAYMENT_PROVIDER_URL: sandboxUrl,
      PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      SUBGRAPH_ORDER_URL: orderUrl,
      ...options.env,
    },
    build: (env) => createPaymentSubgraph(loadConfig(env)),
  });
  const { subgraph, url, port } = harness;
  const namespace = harness.env.EVENT_NAMESPACE!;
  const webhookUrl = `http://127.0.0.1:${port}/webhooks/sandbox`;
  const { prisma } = subgraph;
  const handle = (event: DomainEvent) => subgraph.handleEvent(event);

  const sandboxCall = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await fetch(sandboxUrl + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const event = (type: string, aggregateId: string, payload: Record<string, unknown>) => ({
    id: randomUUID(),
    type,
    producer: 'order',
    aggregateType: 'order',
    aggregateId,
    payload,
    createdAt: new Date().toISOString(),
  });

  return {
    subgraph,
    url,
    sandbox,
    sandboxUrl,
    namespace,
    orders,
    tokenFor: (userId) => harness.token({ userId, roles: ['CUSTOMER'] }),
    placeOrder: async ({ customerId, total, paymentDueAt }) => {
      const orderId = randomUUID();
      const placed = event('order.placed', orderId, {
        orderId,
        orderNumber: `T${Date.now()}`,
        customerId,
        merchantId: MERCHANT_ID,
        total: { amount: total, currency: 'CNY' },
        placedAt: new Date().toISOString(),
        paymentDueAt: (paymentDueAt ?? new Date(Date.now() + 15 * 60_000)).toISOString(),
      });
      await handle(placed);
      return orderId;
    },
    cancelEvent: (orderId, customerId) =>
      event('order.cancelled', orderId, {
        orderId,
        customerId,
        merchantId: MERCHANT_ID,
        previousStatus: 'TO_BE_CONFIRMED',
        wasPaid: true,
        actor: 'CUSTOMER',
        reason: 'changed my mind',
        at: new Date().toISOString(),
      }),
    cancelOrder: handle,
    handle,
    pay: (token, input) =>
      graphql<{ payOrder: PaidPayment }>(url, PAY_ORDER, { token, variables: { input } }),
    complete: async (providerPaymentId, outcome) =>
      (
        await sandboxCall(
          'POST',
          `/v1/test/payments/${providerPaymentId}/complete`,
          outcome ? { outcome } : {},
        )
      ).body,
    sandboxCall,
    deliver: async (rawBody, headers) => {
      const response = await fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: rawBody,
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    signed: (body, timestamp = Math.floor(Date.now() / 1000)) => {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      const signature = createHmac('sha256', WEBHOOK_SECRET)
        .update(`${timestamp}.${raw}`)
        .digest('hex');
      return {
        raw,
        headers: { 'x-sandbox-timestamp': String(timestamp), 'x-sandbox-signature': signature },
      };
    },
    events: (type, aggregateId) =>
      prisma.outboxEvent.findMany({
        where: { type, aggregateId },
        orderBy: { createdAt: 'asc' },
        select: { payload: true },
      }),
    stop: async () => {
      await harness.stop();
      await sandbox.stop();
      orderServer.closeAllConnections();
      await new Promise<void>((resolve) => orderServer.close(() => resolve()));
    },
  };
}
