import { generateKeyPair, type KeyPair, type Role } from '@sky/auth';
import type { Env } from '@sky/config';
import { createLogger } from '@sky/logging';
import { createTestDatabase, graphql, type GraphQLResponse, type TestDatabase } from '@sky/testkit';
import { TEST_ENV, tokenSigner } from '@sky/testkit';
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { OrderStatus, PayStatus } from '../src/__generated__/prisma/client.ts';
import { createInternalClients, type InternalClients } from '../src/clients/internal-clients.ts';
import { loadConfig } from '../src/config.ts';
import { createOrderSubgraph, type OrderSubgraph } from '../src/server.ts';

/** The order subgraph in server mode on a fresh database, the machine's Redis and a random port. */
export interface OrderHarness {
  subgraph: OrderSubgraph;
  url: string;
  db: TestDatabase;
  keys: KeyPair;
  env: Env;
  token(claims: { userId: string; roles: Role[]; merchantId?: string | null }): string;
  run<Data = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<Data>>;
  stop(): Promise<void>;
}

/**
 * Settings shared with the catalog and user subgraphs a test starts beside this one: one key
 * pair, one service token, one event namespace on the machine's Redis.
 */
export function sharedTestEnv(keys: KeyPair, overrides: Env = {}): Env {
  return {
    ...TEST_ENV,
    SKY_MODE: 'server',
    JWT_PUBLIC_KEY: keys.publicKeyPem,
    JWT_PRIVATE_KEY: keys.privateKeyPem,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    EVENT_NAMESPACE: `test-${randomUUID()}`,
    EVENT_POLL_INTERVAL_MS: '100',
    EVENT_REDELIVER_AFTER_MS: '2000',
    ...overrides,
  };
}

/**
 * `database` runs a second instance on another instance's database (as when the service is
 * scaled out; that instance drops it); `clients` replaces the calls to catalog and user.
 */
export async function startOrderSubgraph(
  options: { keys?: KeyPair; env?: Env; database?: TestDatabase; clients?: InternalClients } = {},
): Promise<OrderHarness> {
  const keys = options.keys ?? generateKeyPair();
  const db = options.database ?? (await createTestDatabase('order'));
  const ownsDatabase = !options.database;
  const env = { ...sharedTestEnv(keys), ...options.env, DATABASE_URL: db.url };
  try {
    const config = loadConfig(env);
    const subgraph = await createOrderSubgraph(
      config,
      createLogger('order', config.logLevel),
      options.clients ?? createInternalClients(config),
    );
    const { url } = await subgraph.listen(0, '127.0.0.1');
    const signer = tokenSigner(keys);
    return {
      subgraph,
      url,
      db,
      keys,
      env,
      token: (claims) => signer.signAccessToken({ merchantId: null, ...claims }).token,
      run: (query, variables, token) => graphql(url, query, { variables, token }),
      stop: async () => {
        await subgraph.close();
        // pg's Pool.end() resolves before its last connections have finished closing; dropping
        // the database WITH (FORCE) at once terminates them, and the pg client reports that as
        // an uncaught error. A moment lets them close first (see the report: packages/database).
        await new Promise((resolve) => setTimeout(resolve, 100));
        if (ownsDatabase) await db.drop();
      },
    };
  } catch (error) {
    if (ownsDatabase) await db.drop();
    throw error;
  }
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
