import type { KeyPair } from '@sky/auth';
import type { Env } from '@sky/config';
import {
  startTestSubgraph,
  type GraphQLResponse,
  type TestDatabase,
  type TestSubgraph,
} from '@sky/testkit';
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { OrderStatus, PayStatus } from '../src/stores/index.ts';
import { createInternalClients, type InternalClients } from '../src/clients/internal-clients.ts';
import { loadConfig } from '../src/config.ts';
import { createOrderSubgraph, type OrderSubgraph } from '../src/server.ts';

export { sharedTestEnv } from '@sky/testkit';

/** The order subgraph in server mode on a fresh database, the machine's Redis and a random port. */
export type OrderHarness = TestSubgraph<OrderSubgraph>;

/**
 * `database` runs a second instance on another instance's database (as when the service is
 * scaled out; that instance drops it); `clients` replaces the calls to catalog and user.
 */
export async function startOrderSubgraph(
  options: {
    keys?: KeyPair;
    env?: Env;
    database?: TestDatabase | null;
    clients?: InternalClients;
  } = {},
): Promise<OrderHarness> {
  return startTestSubgraph({
    name: 'order',
    ...options,
    build: (env) => {
      const config = loadConfig(env);
      return createOrderSubgraph(
        config,
        undefined,
        options.clients ?? createInternalClients(config),
      );
    },
  });
}

export function ok<Data>(response: GraphQLResponse<Data>): Data {
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!;
}

export const codeOf = (response: GraphQLResponse): unknown =>
  response.errors?.[0]?.extensions?.code;

export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Writes an order directly in a given state (as if its earlier transitions had happened), so
 * every state can be tested without running the whole lifecycle each time.
 */
export async function insertOrder(
  subgraph: OrderSubgraph,
  input: {
    customerId: string;
    merchantId: string;
    status: OrderStatus;
    payStatus?: PayStatus;
    totalAmount?: number;
  },
) {
  const id = randomUUID();
  const paid = input.payStatus ?? (input.status === 'PENDING_PAYMENT' ? 'UNPAID' : 'PAID');
  const total = input.totalAmount ?? 4200;
  return subgraph.prisma.order.create({
    data: {
      id,
      orderNumber: `SKYTEST${id.replaceAll('-', '').slice(0, 20)}`,
      status: input.status,
      payStatus: paid,
      customerId: input.customerId,
      merchantId: input.merchantId,
      itemsTotalAmount: total - 700,
      packingFeeAmount: 200,
      deliveryFeeAmount: 500,
      totalAmount: total,
      addressContactName: 'Test Receiver',
      addressPhone: '13800001234',
      addressDetail: '上海市黄浦区南京东路 1 号',
      addressLatitude: 31.23,
      addressLongitude: 121.47,
      paymentDueAt: new Date(Date.now() + 900_000),
      items: {
        create: [
          {
            dishId: randomUUID(),
            name: 'Test dish',
            quantity: 1,
            unitPriceAmount: total - 700,
            lineTotalAmount: total - 700,
          },
        ],
      },
      statusHistory: {
        create: { fromStatus: null, toStatus: input.status, actor: 'CUSTOMER', version: 1 },
      },
    },
  });
}

/** Everything about an order that an action could change, to show a refusal changed nothing. */
export async function orderSnapshot(subgraph: OrderSubgraph, orderId: string) {
  const { prisma } = subgraph;
  return {
    order: await prisma.order.findUnique({ where: { id: orderId } }),
    history: await prisma.orderStatusChange.count({ where: { orderId } }),
    events: await prisma.outboxEvent.count({ where: { aggregateId: orderId } }),
  };
}

export async function eventsOf(subgraph: OrderSubgraph, orderId: string) {
  const rows = await subgraph.prisma.outboxEvent.findMany({
    where: { aggregateId: orderId },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((row) => ({ type: row.type, payload: row.payload as Record<string, unknown> }));
}
