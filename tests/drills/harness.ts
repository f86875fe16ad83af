import { EVENT_CONTRACTS, type EventType } from '@sky/contracts';
import {
  databaseUrl,
  graphql,
  startPrivateRedis,
  SUBGRAPH_NAMES,
  type GraphQLResponse,
  type PrivateRedis,
  type SubgraphName,
} from '@sky/testkit';
import { appendFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { startBuiltPlatform, type BuiltPlatform } from '../built-services.ts';
import { addToCart, dishNamed, newCustomer, noodleHouse, ok, type Customer } from '../flows.ts';
import { signIn } from '../helpers.ts';

/**
 * Failure drills: the built services as separate processes (server mode, a private
 * redis-server), customers ordering while one part fails and comes back. A drill measures how
 * long the platform takes to recover and which error codes clients saw meanwhile, and checks in
 * the databases that no order, payment, refund, delivery or event was lost or applied twice.
 */

/**
 * An outage is not a bug: clients must be told SERVICE_UNAVAILABLE or DEADLINE_EXCEEDED (with a
 * retry hint), never INTERNAL_SERVER_ERROR, the code a bug gets.
 */
export function expectNoInternalServerErrorDuringOutage(outageCodes: Record<string, number>) {
  expect(outageCodes).not.toHaveProperty('INTERNAL_SERVER_ERROR');
}

/** What one drill order goes through; each path ends in one known state. */
export type OrderPath =
  /** Placed and paid: TO_BE_CONFIRMED, PAID. */
  | 'paid'
  /** Placed, paid, then cancelled by the customer: CANCELLED, REFUNDED, one refund. */
  | 'refunded'
  /** Placed, paid, accepted by the merchant: CONFIRMED, PAID, one delivery being dispatched. */
  | 'dispatched';

const FINAL_STATE: Record<OrderPath, { status: string; payStatus: string }> = {
  paid: { status: 'TO_BE_CONFIRMED', payStatus: 'PAID' },
  refunded: { status: 'CANCELLED', payStatus: 'REFUNDED' },
  dispatched: { status: 'CONFIRMED', payStatus: 'PAID' },
};

/** The services' settings in a drill: quick event relays, a provider that calls back by itself. */
const DRILL_ENV = {
  EVENT_POLL_INTERVAL_MS: '200',
  EVENT_REDELIVER_AFTER_MS: '2000',
  SANDBOX_CALLBACK_DELAY_MS: '100',
  // The provider keeps retrying its callback while the payment subgraph is away.
  SANDBOX_CALLBACK_RETRY_BASE_MS: '250',
  SANDBOX_CALLBACK_MAX_ATTEMPTS: '40',
};

export interface DrillContext {
  platform: BuiltPlatform;
  redis: PrivateRedis;
  client: DrillClient;
  /** Signed in as the noodle house's staff. */
  staffToken: string;
  /** A customer with a cart of its own who orders nothing in the drill. */
  bystander: Customer;
}

export interface Drill {
  /** The row's name in the drills table. */
  name: string;
  orders: number;
  path(index: number): OrderPath;
  /** The path of the order that measures recovery (started when the part comes back). */
  probePath: OrderPath;
  /** The failure, injected once a third of the orders have started. */
  inject(context: DrillContext): Promise<void>;
  /** How long the failure lasts. */
  outageSeconds: number;
  restore(context: DrillContext): Promise<void>;
  /** Requests that do not need the failed part: each must succeed throughout the outage. */
  unaffected(context: DrillContext): Promise<GraphQLResponse<unknown>>[];
  /** Settings for every service, on top of the drill settings. */
  env?: Record<string, string>;
}

export interface DrillResult {
  drill: string;
  orders: number;
  lost: string[];
  duplicated: string[];
  /** From the part coming back to the first order through its whole path. */
  recoverySeconds: number;
  /** From the part coming back to its restart's end (a process's start, a server's). */
  restoreSeconds: number;
  /** Error codes (with counts) clients saw from the failure until that first order. */
  outageCodes: Record<string, number>;
  /** The same per request (`INTERNAL_SERVER_ERROR (payOrder)`), for diagnosis. */
  outageCodesByField: Record<string, number>;
  /** Requests that did not need the failed part and failed anyway. */
  unaffectedFailures: string[];
  unaffectedRequests: number;
}

/** A client of the gateway that counts the error codes it gets while an outage is on. */
export class DrillClient {
  outage = false;
  readonly outageCodes: Record<string, number> = {};
  readonly outageCodesByField: Record<string, number> = {};
  constructor(readonly gatewayUrl: string) {}

  async request<Data>(
    query: string,
    options: { token?: string; variables?: Record<string, unknown> } = {},
  ): Promise<GraphQLResponse<Data>> {
    let response: GraphQLResponse<Data>;
    try {
      response = await graphql<Data>(this.gatewayUrl, query, options);
    } catch (error) {
      // No GraphQL answer at all (the gateway itself is never failed by a drill).
      response = {
        status: 0,
        headers: new Headers(),
        errors: [{ message: String(error), extensions: { code: 'NO_RESPONSE' } }],
      };
    }
    if (this.outage) {
      // Which request got it, by its first root field (`payOrder`, `order`, ...).
      const field = /\{\s*(\w+)/.exec(query)?.[1] ?? 'unknown';
      for (const error of response.errors ?? []) {
        const code = String(error.extensions?.code ?? 'NO_CODE');
        this.outageCodes[code] = (this.outageCodes[code] ?? 0) + 1;
        const where = `${code} (${field})`;
        this.outageCodesByField[where] = (this.outageCodesByField[where] ?? 0) + 1;
      }
    }
    return response;
  }
}

/** The subgraphs with event tables: those that produce or consume events (not user). */
const EVENT_SUBGRAPHS = SUBGRAPH_NAMES.filter((subgraph) =>
  Object.values(EVENT_CONTRACTS).some(
    (route) =>
      route.producer === subgraph || (route.consumers as readonly string[]).includes(subgraph),
  ),
);

const POLL_MS = 200;
/** Generous: the machine is shared, and a drill's outage plus restart fits well within it. */
const STEP_DEADLINE_MS = 120_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Tries `step` until it reports done (as a client retrying with the same idempotency key). */
async function until(what: string, step: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + STEP_DEADLINE_MS;
  while (!(await step())) {
    if (Date.now() > deadline) throw new Error(`drill: ${what} did not happen in time`);
    await pause(POLL_MS);
  }
}

/**
 * Retries `work` until it does not throw: for the drill's preparation, which the loaded machine
 * can make time out (a retried preparation makes a new customer, so nothing is done twice).
 */
async function retried<T>(what: string, work: () => Promise<T>): Promise<T> {
  let result: { value: T } | null = null;
  await until(what, async () => {
    try {
      result = { value: await work() };
      return true;
    } catch {
      return false;
    }
  });
  return result!.value;
}

interface DrillOrder {
  customer: Customer;
  path: OrderPath;
  placeKey: string;
  payKey: string;
  id?: string;
}

const ORDER_STATE = 'query($id: ID!) { order(id: $id) { status payStatus delivery { status } } }';
type OrderStateData = {
  order: { status: string; payStatus: string; delivery: { status: string } | null } | null;
};

/** One order along its path; every step is retried until it took effect. */
async function runOrder(context: DrillContext, order: DrillOrder): Promise<void> {
  const { client } = context;
  const { token } = order.customer;
  const state = async () =>
    (await client.request<OrderStateData>(ORDER_STATE, { token, variables: { id: order.id } })).data
      ?.order ?? null;
  const reached = async (status: string, payStatus: string) => {
    const current = await state();
    return current?.status === status && current.payStatus === payStatus;
  };
  await until('placeOrder', async () => {
    const placed = await client.request<{ placeOrder: { id: string } }>(
      'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }',
      {
        token,
        variables: {
          input: {
            merchantId: noodleHouse.id,
            addressId: order.customer.addressId,
            idempotencyKey: order.placeKey,
            tablewareCount: 1,
          },
        },
      },
    );
    order.id = placed.data?.placeOrder.id;
    return Boolean(order.id);
  });
  await until('payOrder', async () => {
    const paid = await client.request<{ payOrder: { id: string } }>(
      'mutation($input: PayOrderInput!) { payOrder(input: $input) { id } }',
      { token, variables: { input: { orderId: order.id, idempotencyKey: order.payKey } } },
    );
    return Boolean(paid.data?.payOrder);
  });
  await until('the payment callback', () => reached('TO_BE_CONFIRMED', 'PAID'));
  if (order.path === 'refunded') {
    await until('cancelOrder', async () => {
      const cancelled = await client.request(
        'mutation($id: ID!) { cancelOrder(id: $id, reason: "drill") { status } }',
        { token, variables: { id: order.id } },
      );
      // A retry of a cancellation that went through is refused: the order says it is done.
      return !cancelled.errors || (await state())?.status === 'CANCELLED';
    });
    await until('the refund', () => reached('CANCELLED', 'REFUNDED'));
  }
  if (order.path === 'dispatched') {
    await until('acceptOrder', async () => {
      const accepted = await client.request(
        'mutation($id: ID!) { acceptOrder(id: $id) { status } }',
        { token: context.staffToken, variables: { id: order.id } },
      );
      return !accepted.errors || (await state())?.status === 'CONFIRMED';
    });
    await until('the delivery', async () => Boolean((await state())?.delivery));
  }
}

/** A customer near the noodle house with its one dish in the cart, ready to order. */
async function customerWithCart(gatewayUrl: string): Promise<Customer> {
  const customer = await newCustomer(gatewayUrl, noodleHouse);
  ok(
    await addToCart(gatewayUrl, customer.token, {
      merchantId: noodleHouse.id,
      dishId: dishNamed(noodleHouse, '红烧牛肉面').id,
      flavor: '微辣 Mild',
    }),
  );
  return customer;
}

/** Runs `work` on every item, at most `concurrency` at a time. */
async function eachLimited<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

/**
 * What a drill must stop even when its test times out (the test's own `finally` never runs
 * then, and the services would outlive the test worker).
 */
const cleanups = new Set<() => Promise<void>>();
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/** Customers ordering at once: a small shop's evening, and what two cores can carry. */
const CONCURRENT_CUSTOMERS = 3;

export async function runDrill(drill: Drill): Promise<DrillResult> {
  const began = Date.now();
  // Progress on the console: a drill is long, and a stuck one should say where it stopped.
  const phase = (what: string) =>
    console.log(`drill "${drill.name}" +${((Date.now() - began) / 1000).toFixed(1)}s: ${what}`);
  const redis = await startPrivateRedis();
  let platform: BuiltPlatform | null = null;
  const cleanup = async () => {
    cleanups.delete(cleanup);
    await platform?.stop();
    await redis.stop();
  };
  cleanups.add(cleanup);
  try {
    platform = await startBuiltPlatform({
      env: { ...DRILL_ENV, ...drill.env },
      redisUrl: redis.url,
      seed: true,
    });
    phase('platform started');
    const { gatewayUrl } = platform;
    const customers: Customer[] = [];
    await eachLimited([...Array(drill.orders + 2).keys()], CONCURRENT_CUSTOMERS, async () => {
      customers.push(await retried('a customer with a cart', () => customerWithCart(gatewayUrl)));
    });
    phase('customers ready');
    const [bystander, probeCustomer, ...buyers] = customers as [Customer, Customer, ...Customer[]];
    const context: DrillContext = {
      platform,
      redis,
      client: new DrillClient(gatewayUrl),
      staffToken: await retried('the staff sign-in', () =>
        signIn(gatewayUrl, 'staff-noodle-house'),
      ),
      bystander,
    };
    const newOrder = (customer: Customer, path: OrderPath): DrillOrder => ({
      customer,
      path,
      placeKey: randomUUID(),
      payKey: randomUUID(),
    });
    const orders = buyers.map((customer, index) => newOrder(customer, drill.path(index)));
    const probe = newOrder(probeCustomer, drill.probePath);

    let started = 0;
    const injectAt = Math.ceil(drill.orders / 3);
    const ordering = eachLimited(orders, CONCURRENT_CUSTOMERS, async (order) => {
      started += 1;
      await runOrder(context, order);
    });
    await until('a third of the orders started', async () => started >= injectAt);

    await drill.inject(context);
    phase('failure injected');
    context.client.outage = true;
    const unaffectedFailures: string[] = [];
    let unaffectedRequests = 0;
    let outageOver = false;
    const checkUnaffected = (async () => {
      while (!outageOver) {
        for (const response of await Promise.all(drill.unaffected(context))) {
          unaffectedRequests += 1;
          if (response.errors) unaffectedFailures.push(JSON.stringify(response.errors));
        }
        await pause(POLL_MS);
      }
    })();
    await pause(drill.outageSeconds * 1000);
    outageOver = true;
    await checkUnaffected;

    phase('restoring');
    const restoredAt = Date.now();
    const probing = runOrder(context, probe);
    await drill.restore(context);
    const restoreSeconds = (Date.now() - restoredAt) / 1000;
    await probing;
    const recoverySeconds = (Date.now() - restoredAt) / 1000;
    context.client.outage = false;
    phase(`recovered in ${recoverySeconds}s`);
    await ordering;
    phase('every order went its path');

    await until('every outbox delivered', () => outboxesDelivered(platform!));
    phase('every event delivered');
    const { lost, duplicated } = await audit(platform, [...orders, probe]);
    const result: DrillResult = {
      drill: drill.name,
      orders: orders.length + 1,
      lost,
      duplicated,
      recoverySeconds,
      restoreSeconds,
      outageCodes: { ...context.client.outageCodes },
      outageCodesByField: { ...context.client.outageCodesByField },
      unaffectedFailures,
      unaffectedRequests,
    };
    report(result);
    return result;
  } catch (error) {
    if (platform) {
      for (const name of ['gateway', ...SUBGRAPH_NAMES] as const) {
        console.error(`--- ${name} (last log lines)\n${platform.logs(name).slice(-15).join('\n')}`);
      }
    }
    throw error;
  } finally {
    await cleanup();
  }
}

/** A query as the administrator on `database` (a subgraph's, or `postgres`). */
export async function sql<Row extends object>(
  database: string,
  text: string,
  values: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: databaseUrl(database) });
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** A query on one subgraph's database of the drill's platform. */
const subgraphSql = <Row extends object>(
  platform: BuiltPlatform,
  subgraph: SubgraphName,
  text: string,
  values: unknown[] = [],
) => sql<Row>(platform.databases[subgraph].name, text, values);

async function outboxesDelivered(platform: BuiltPlatform): Promise<boolean> {
  for (const subgraph of EVENT_SUBGRAPHS) {
    const [{ pending }] = await subgraphSql<{ pending: number }>(
      platform,
      subgraph,
      'SELECT count(*)::int AS pending FROM outbox_events WHERE "deliveredAt" IS NULL',
    );
    if (pending > 0) return false;
  }
  return true;
}

/** Event types that happen at most once per order; a second one is an effect applied twice. */
const ONCE_PER_ORDER: EventType[] = [
  'order.placed',
  'order.confirmed',
  'order.cancelled',
  'payment.succeeded',
  'payment.refunded',
];

/** Reads every database directly: what is missing is lost, what is there twice is duplicated. */
async function audit(platform: BuiltPlatform, orders: DrillOrder[]) {
  const lost: string[] = [];
  const duplicated: string[] = [];
  const customerIds = orders.map((order) => order.customer.userId);
  const placed = await subgraphSql<{
    id: string;
    customerId: string;
    status: string;
    payStatus: string;
  }>(
    platform,
    'order',
    'SELECT id, "customerId", status::text, "payStatus"::text FROM orders WHERE "customerId" = ANY($1::uuid[])',
    [customerIds],
  );
  const transitions = await subgraphSql<{ orderId: string; toStatus: string; times: number }>(
    platform,
    'order',
    `SELECT "orderId", "toStatus"::text, count(*)::int AS times FROM order_status_changes
     WHERE "orderId" = ANY($1::uuid[]) GROUP BY 1, 2`,
    [placed.map((order) => order.id)],
  );
  const payments = await subgraphSql<{ orderId: string; status: string; refunds: number }>(
    platform,
    'payment',
    `SELECT p."orderId", p.status::text,
       (SELECT count(*)::int FROM refunds r WHERE r."paymentId" = p.id AND r.status::text <> 'FAILED') AS refunds
     FROM payments p WHERE p."orderId" = ANY($1::uuid[])`,
    [placed.map((order) => order.id)],
  );
  const deliveries = await subgraphSql<{ orderId: string }>(
    platform,
    'delivery',
    'SELECT "orderId" FROM deliveries WHERE "orderId" = ANY($1::uuid[])',
    [placed.map((order) => order.id)],
  );
  for (const order of orders) {
    const rows = placed.filter((row) => row.customerId === order.customer.userId);
    if (rows.length === 0) lost.push(`order of customer ${order.customer.userId}`);
    if (rows.length > 1) duplicated.push(`${rows.length} orders from one placement`);
    const row = rows[0];
    if (!row) continue;
    const expected = FINAL_STATE[order.path];
    if (row.status !== expected.status || row.payStatus !== expected.payStatus) {
      lost.push(
        `order ${row.id} is ${row.status}/${row.payStatus}, not ${JSON.stringify(expected)}`,
      );
    }
    for (const transition of transitions.filter((t) => t.orderId === row.id && t.times > 1)) {
      duplicated.push(`order ${row.id} went to ${transition.toStatus} ${transition.times} times`);
    }
    const charged = payments.filter(
      (p) => p.orderId === row.id && ['SUCCEEDED', 'REFUNDED'].includes(p.status),
    );
    if (charged.length === 0) lost.push(`payment of order ${row.id}`);
    if (charged.length > 1) duplicated.push(`order ${row.id} charged ${charged.length} times`);
    const refunds = charged.reduce((sum, payment) => sum + payment.refunds, 0);
    const expectedRefunds = order.path === 'refunded' ? 1 : 0;
    if (refunds < expectedRefunds) lost.push(`refund of order ${row.id}`);
    if (refunds > expectedRefunds) duplicated.push(`order ${row.id} refunded ${refunds} times`);
    const delivered = deliveries.filter((d) => d.orderId === row.id).length;
    if (order.path === 'dispatched' && delivered === 0) lost.push(`delivery of order ${row.id}`);
    if (delivered > (order.path === 'dispatched' ? 1 : 0)) {
      duplicated.push(`order ${row.id} has ${delivered} deliveries`);
    }
  }
  const auditedEvents = await auditEvents(platform);
  return {
    lost: [...lost, ...auditedEvents.lost],
    duplicated: [...duplicated, ...auditedEvents.duplicated],
  };
}

/**
 * Every event in every outbox was delivered and is in the processed events of each consumer
 * its contract names; no consumer parked one as a dead letter; no once-per-order event twice.
 */
async function auditEvents(platform: BuiltPlatform) {
  const lost: string[] = [];
  const duplicated: string[] = [];
  const processed = new Map<SubgraphName, Set<string>>();
  for (const subgraph of EVENT_SUBGRAPHS) {
    const rows = await subgraphSql<{ eventId: string }>(
      platform,
      subgraph,
      'SELECT "eventId" FROM processed_events WHERE consumer = $1',
      [subgraph],
    );
    processed.set(subgraph, new Set(rows.map((row) => row.eventId)));
    const [{ parked }] = await subgraphSql<{ parked: number }>(
      platform,
      subgraph,
      'SELECT count(*)::int AS parked FROM dead_letter_events',
    );
    if (parked > 0) lost.push(`${parked} dead letters in ${subgraph}`);
  }
  for (const producer of EVENT_SUBGRAPHS) {
    const events = await subgraphSql<{ id: string; type: EventType; orderId: string | null }>(
      platform,
      producer,
      `SELECT id, type, payload->>'orderId' AS "orderId" FROM outbox_events`,
    );
    const seen = new Map<string, number>();
    for (const event of events) {
      for (const consumer of EVENT_CONTRACTS[event.type].consumers) {
        if (!processed.get(consumer)!.has(event.id)) {
          lost.push(`${event.type} ${event.id} never handled by ${consumer}`);
        }
      }
      if (ONCE_PER_ORDER.includes(event.type) && event.orderId) {
        const key = `${event.type} of order ${event.orderId}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
    }
    for (const [key, times] of seen) if (times > 1) duplicated.push(`${key} ${times} times`);
  }
  return { lost, duplicated };
}

/** Printed for whoever runs the drill, and appended to `DRILLS_REPORT_FILE` for `npm run drills`. */
function report(result: DrillResult) {
  console.log(`drill ${JSON.stringify(result)}`);
  const file = process.env.DRILLS_REPORT_FILE;
  if (file) appendFileSync(file, `${JSON.stringify(result)}\n`);
}

/** A drill as a test: it runs, then asserts what every drill asserts. */
export function drillTest(description: string, drill: Drill) {
  it(description, async () => expectSurvived(await runDrill(drill)), DRILL_TIMEOUT_MS);
}

/** What every drill asserts about its result. */
function expectSurvived(result: DrillResult) {
  expect(result.lost).toEqual([]);
  expect(result.duplicated).toEqual([]);
  expect(result.unaffectedFailures).toEqual([]);
  expect(result.unaffectedRequests).toBeGreaterThan(0);
  expectNoInternalServerErrorDuringOutage(result.outageCodes);
}

/** Browsing the noodle house's dishes: the catalog subgraph alone. */
export const browseCatalog = (context: DrillContext) =>
  context.client.request(
    `query($near: GeoPointInput!) {
      merchants(first: 5, near: $near) { edges { node { name dishes(first: 5) { edges { node { name } } } } } }
    }`,
    { variables: { near: { latitude: noodleHouse.latitude, longitude: noodleHouse.longitude } } },
  );

/**
 * Orders per drill: enough to have some at every step when the failure strikes, few enough that
 * the five drills stay short on two shared cores (each order is a dozen requests).
 */
export const DRILL_ORDERS = 12;

/**
 * A drill starts seven processes, prepares customers and waits out a failure and a restart:
 * far longer than a usual test, above all on a loaded machine.
 */
const DRILL_TIMEOUT_MS = 480_000;

/** The bystander's own orders, without their deliveries or payments: the order subgraph alone. */
export const browseOwnOrders = (context: DrillContext) =>
  context.client.request('{ myOrders(first: 5) { edges { node { id status } } } }', {
    token: context.bystander.token,
  });

/** The bystander's account: the user subgraph alone. */
export const readOwnAccount = (context: DrillContext) =>
  context.client.request('{ me { id email } }', { token: context.bystander.token });
