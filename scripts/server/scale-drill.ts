/**
 * `npm run scale-drill`: many instances of every service on this machine, as real processes,
 * behind a local haproxy (Debian's `haproxy` package). After `npm run keys`, `npm run build`,
 * `npm run server:setup` and `npm run seed` (same variables), it
 *   1. measures placeOrder with 1 instance of each service, then with 2 (median of --rounds);
 *   2. with 2 of each, runs the whole flow (place, pay, accept, dispatch, deliver) while a
 *      customer tracks the order live on BOTH gateways, every step made through the other one;
 *   3. SIGKILLs one instance of every kind in the middle of a second flow and a burst of orders,
 *      and shows that flow still completes through the survivors;
 *   4. checks that every event was consumed, and its effect applied, exactly once.
 * Every service instance reaches the others only through the balancer: one haproxy frontend per
 * subgraph on that subgraph's usual port (PORT+1..5) and one for the gateways on PORT, each
 * balancing over the instances with health checks. Bounded: it gives up after --timeout seconds.
 *   npm run scale-drill [-- --rounds 3 --orders 20 --concurrency 4 --timeout 900]
 */
import { runMain } from '@sky/config';
import { graphql } from '@sky/testkit';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  addToCart,
  completePayment,
  dishNamed,
  newCustomer,
  noodleHouse,
  ok,
  orderOneDish,
  orderState,
  payOrder,
  placeOrder,
  type Customer,
} from '../../tests/flows.ts';
import { signIn } from '../../tests/helpers.ts';
import { subscribe } from '../../tests/live.ts';
import { median, numberArg, percentile } from '../../bench/measure.ts';
import { readinessProbe, startService, type ServiceProcess } from './processes.ts';
import {
  bundleOf,
  databaseName,
  defaultPort,
  directAddresses,
  loadServerSettings,
  serviceEnv,
  SUBGRAPHS,
  type ServerSettings,
  type Service,
} from './settings.ts';

const ROUNDS = numberArg('rounds', 3);
const ORDERS = numberArg('orders', 20);
const CONCURRENCY = numberArg('concurrency', 4);
const TIMEOUT_SECONDS = numberArg('timeout', 900);

/**
 * For a drill rather than production: events polled and redelivered quickly (a killed consumer's
 * events move to a survivor after a second), payments completed by the drill, cheap password
 * hashing, no sign-up throttling (every customer registers from this machine's address) and
 * long deadlines.
 */
const DRILL_ENV = {
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  EVENT_POLL_INTERVAL_MS: '50',
  EVENT_REDELIVER_AFTER_MS: '1000',
  SANDBOX_CALLBACK_DELAY_MS: '600000',
  DISPATCH_RETRY_SECONDS: '1',
  OFFER_TIMEOUT_SECONDS: '60',
  ARGON2_MEMORY_KIB: '1024',
  ARGON2_TIME_COST: '1',
  LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE: '1000000',
  REGISTRATIONS_PER_ADDRESS_PER_HOUR: '1000000',
  // Fourteen processes share this machine's cores: a slow hop is not a failure here.
  SUBGRAPH_TIMEOUT_MS: '60000',
  INTERNAL_CALL_TIMEOUT_MS: '30000',
};

const KINDS: Service[] = [...SUBGRAPHS, 'gateway'];
const instancePort = (settings: ServerSettings, kind: Service, index: number) =>
  settings.PORT + 100 + 10 * index + KINDS.indexOf(kind);

/** One frontend per service on its usual port, balancing over its instances. */
function haproxyConfig(settings: ServerSettings, instances: number): string {
  const lines = [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    // WebSockets (graphql-ws, gateway to client and gateway to subgraph) stay open for long:
    // client/server timeouts cover idle HTTP, `timeout tunnel` an upgraded connection.
    '  timeout client 65s',
    '  timeout server 65s',
    '  timeout tunnel 1h',
    '  timeout http-request 10s',
    // A connection refused by a dead instance is retried on another one (nothing was sent yet).
    '  retries 2',
    '  option redispatch',
  ];
  for (const kind of KINDS) {
    lines.push(
      `frontend ${kind}`,
      `  bind ${settings.HOST}:${defaultPort(settings, kind)}`,
      `  default_backend ${kind}-instances`,
      `backend ${kind}-instances`,
      '  balance roundrobin',
      `  option httpchk GET ${readinessProbe(kind).path}`,
      // Checks are slow on a loaded machine: a late answer must not take the only instance out.
      '  timeout check 3s',
      '  default-server check inter 1s fall 2 rise 1',
      ...Array.from(
        { length: instances },
        (_, index) =>
          `  server ${kind}-${index} ${settings.HOST}:${instancePort(settings, kind, index)}`,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

interface Cluster {
  gatewayUrl: string;
  sandboxUrl: string;
  /** Each gateway instance's own URL (not through the balancer). */
  gatewayInstanceUrls: string[];
  instances: Map<string, ServiceProcess>;
  stop(): Promise<void>;
}

async function startCluster(settings: ServerSettings, instances: number): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'sky-scale-drill-'));
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(config, haproxyConfig(settings, instances));
  const haproxy = spawn('haproxy', ['-db', '-f', config], {
    stdio: 'ignore',
  });
  const haproxyExited = new Promise((resolve) => haproxy.once('exit', resolve));
  // Everyone, instances included, addresses the others at the balancer's frontends.
  const addresses = directAddresses(settings);
  const started = new Map<string, ServiceProcess>();
  const quiet = () => {};
  const sandbox = startService(
    'payment-sandbox',
    bundleOf('payment-sandbox'),
    {
      ...serviceEnv(
        settings,
        'payment-sandbox',
        defaultPort(settings, 'payment-sandbox'),
        addresses,
      ),
      ...DRILL_ENV,
    },
    { ...readinessProbe('payment-sandbox'), url: `${addresses.sandboxUrl}/v1/payments` },
  );
  started.set('payment-sandbox', sandbox);
  for (let index = 0; index < instances; index++) {
    for (const kind of KINDS) {
      const port = instancePort(settings, kind, index);
      const label = `${kind}-${index}`;
      started.set(
        label,
        startService(
          label,
          bundleOf(kind),
          { ...serviceEnv(settings, kind, port, addresses), ...DRILL_ENV },
          {
            ...readinessProbe(kind),
            url: `http://${settings.HOST}:${port}${readinessProbe(kind).path}`,
          },
          process.env.LOG_LEVEL ? undefined : quiet,
        ),
      );
    }
  }
  const stop = async () => {
    await Promise.all([...started.values()].map((service) => service.stop()));
    haproxy.kill('SIGTERM');
    await haproxyExited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all([...started.values()].map((service) => service.ready));
    const gatewayUrl = `http://${settings.HOST}:${settings.PORT}/graphql`;
    // The balancer marks an instance up after its first passed check.
    for (
      let i = 0;
      i < 100 &&
      !(await fetch(new URL('/health', gatewayUrl)).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return {
      gatewayUrl,
      sandboxUrl: addresses.sandboxUrl,
      gatewayInstanceUrls: Array.from(
        { length: instances },
        (_, index) => `http://${settings.HOST}:${instancePort(settings, 'gateway', index)}/graphql`,
      ),
      instances: started,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const dish = dishNamed(noodleHouse, '红烧牛肉面');

/** Customers with a filled cart each (placing an order empties it). */
async function customersWithCarts(gatewayUrl: string, count: number): Promise<Customer[]> {
  const customers: Customer[] = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (customers.length < count) {
        const customer = await newCustomer(gatewayUrl, noodleHouse);
        customers.push(customer);
        ok(
          await addToCart(gatewayUrl, customer.token, {
            merchantId: noodleHouse.id,
            dishId: dish.id,
            flavor: '微辣 Mild',
          }),
        );
      }
    }),
  );
  // Workers that started together may have made a few more than asked.
  return customers.slice(0, count);
}

/** placeOrder for every customer, `CONCURRENCY` in flight: rate, p50 and p99, and failures. */
async function placeAll(gatewayUrl: string, customers: Customer[]) {
  const latencies: number[] = [];
  const failures: string[] = [];
  const placed: string[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < customers.length) {
        const customer = customers[next++]!;
        const t0 = performance.now();
        const result = await placeOrder(gatewayUrl, customer, noodleHouse.id, randomUUID()).catch(
          (error: Error) => ({ errors: [{ message: error.message }], data: undefined }),
        );
        latencies.push(performance.now() - t0);
        if (result.errors?.length) failures.push(JSON.stringify(result.errors).slice(0, 200));
        else placed.push(result.data!.placeOrder.id);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    perSecond: placed.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures,
    placed,
  };
}

async function measure(cluster: Cluster) {
  const rounds: { perSecond: number; p50: number; p99: number }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const customers = await customersWithCarts(cluster.gatewayUrl, ORDERS);
    const result = await placeAll(cluster.gatewayUrl, customers);
    if (result.failures.length) throw new Error(`placeOrder failed: ${result.failures[0]}`);
    console.log(
      `  round ${round}: ${result.perSecond.toFixed(1)} orders/s, p50 ${result.p50.toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms`,
    );
    rounds.push(result);
  }
  return {
    perSecond: median(rounds.map((r) => r.perSecond)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
  };
}

const TRACK =
  'subscription($orderId: ID!) { orderStatusChanged(orderId: $orderId) { status version } }';
const FLOW_STATUSES = [
  'PENDING_PAYMENT',
  'TO_BE_CONFIRMED',
  'CONFIRMED',
  'DELIVERY_IN_PROGRESS',
  'COMPLETED',
];

/**
 * A customer's live tracking of one order on one gateway instance, as a client does it: when the
 * subscription ends with an error (the subgraph instance behind it died), it subscribes again;
 * the first message of a subscription is the order's current state, so nothing is lost for good.
 */
function track(url: string, token: string, orderId: string) {
  const statuses: string[] = [];
  let resubscribed = 0;
  let current = subscribe<{ status: string; version: number }>(url, token, TRACK, { orderId });
  let seen = 0;
  const poll = async () => {
    for (const message of current.messages.slice(seen)) {
      if (statuses.at(-1) !== message.status) statuses.push(message.status);
    }
    seen = current.messages.length;
    if (current.errors.length > 0 || current.completed || current.closeCode !== null) {
      await current.stop().catch(() => {});
      resubscribed++;
      current = subscribe(url, token, TRACK, { orderId });
      seen = 0;
    }
  };
  return {
    statuses,
    resubscribed: () => resubscribed,
    async until(status: string, timeout = 60_000) {
      const deadline = Date.now() + timeout;
      while (!statuses.includes(status)) {
        if (Date.now() > deadline)
          throw new Error(`${url} saw ${statuses.join(' > ')}, not ${status}`);
        await poll();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop: () => current.stop(),
  };
}

/**
 * One order from placement to delivery; the customer tracks it on both gateway instances, and
 * the steps alternate between them (so each subscription sees changes made through the other).
 * `midway` runs after payment (the drill kills instances there).
 */
async function deliveredOrder(cluster: Cluster, midway: () => Promise<void> = async () => {}) {
  const [first, second = first] = cluster.gatewayInstanceUrls as [string, string?];
  const via = (step: number) => (step % 2 === 0 ? first : second!);
  const staff = await signIn(cluster.gatewayUrl, 'staff-noodle-house');
  const rider = await signIn(cluster.gatewayUrl, 'rider-li');
  const customer = await newCustomer(via(0), noodleHouse);
  const orderId = await orderOneDish(via(1), customer, noodleHouse.id, dish.id, '微辣 Mild');
  const trackers = cluster.gatewayInstanceUrls.map((url) => track(url, customer.token, orderId));
  const mutate = async (
    url: string,
    token: string,
    query: string,
    variables: Record<string, unknown>,
  ) => ok(await graphql<Record<string, unknown>>(url, query, { token, variables }));
  await Promise.all(trackers.map((t) => t.until('PENDING_PAYMENT')));
  const payment = ok(await payOrder(via(2), customer.token, orderId)).payOrder;
  await completePayment(cluster.sandboxUrl, payment.providerPaymentId);
  await Promise.all(trackers.map((t) => t.until('TO_BE_CONFIRMED')));
  await midway();
  await mutate(via(3), staff, 'mutation($id: ID!) { acceptOrder(id: $id) { status } }', {
    id: orderId,
  });
  // Dispatch holds the rider's offer until the food is about ready: the kitchen is done at once.
  await mutate(via(3), staff, 'mutation($id: ID!) { markFoodReady(id: $id) { status } }', {
    id: orderId,
  });
  let deliveryId: string | undefined;
  for (let i = 0; i < 600 && !deliveryId; i++) {
    const offer = await graphql<{
      myDeliveryOffer: { delivery: { id: string; order: { id: string } } } | null;
    }>(via(4), '{ myDeliveryOffer { delivery { id order { id } } } }', { token: rider });
    const delivery = offer.data?.myDeliveryOffer?.delivery;
    if (delivery?.order.id === orderId) deliveryId = delivery.id;
    else if (delivery)
      await mutate(
        via(4),
        rider,
        'mutation($id: ID!) { declineDeliveryOffer(deliveryId: $id) { deliveryId } }',
        { id: delivery.id },
      );
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!deliveryId) throw new Error(`no delivery offer for order ${orderId}`);
  for (const [step, action] of [
    'acceptDeliveryOffer',
    'arrivedAtMerchant',
    'pickedUp',
    'delivered',
  ].entries()) {
    await mutate(
      via(5 + step),
      rider,
      `mutation($id: ID!) { ${action}(deliveryId: $id) { status } }`,
      { id: deliveryId },
    );
  }
  await Promise.all(trackers.map((t) => t.until('COMPLETED')));
  const seen = trackers.map((t) => t.statuses);
  const resubscribed = trackers.reduce((sum, t) => sum + t.resubscribed(), 0);
  await Promise.all(trackers.map((t) => t.stop()));
  for (const statuses of seen) {
    if (JSON.stringify(statuses) !== JSON.stringify(FLOW_STATUSES)) {
      throw new Error(`a gateway's subscription saw ${statuses.join(' > ')}`);
    }
  }
  return { orderId, seen, resubscribed };
}

/** Queries every subgraph's database as the administrator. */
async function inEachDatabase<T>(
  settings: ServerSettings,
  query: (client: pg.Client, subgraph: string) => Promise<T>,
  onlyWith?: string,
) {
  const results: Record<string, T | null> = {};
  for (const subgraph of SUBGRAPHS) {
    const url = new URL(settings.POSTGRES_URL);
    url.pathname = `/${databaseName(settings, subgraph)}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      // Not every subgraph has every table (the user subgraph publishes no events, for one).
      const has =
        !onlyWith ||
        (await client.query('SELECT to_regclass($1) AS t', [onlyWith])).rows[0].t !== null;
      results[subgraph] = has ? await query(client, subgraph) : null;
    } finally {
      await client.end();
    }
  }
  return results;
}

/**
 * Exactly once, across instances: every event of the drill reached all its consumers (none left
 * pending in any outbox) and its effect happened once — no order went through a status twice,
 * and no order has two successful payments or two deliveries.
 */
async function exactlyOnce(settings: ServerSettings, since: Date, orderIds: string[]) {
  const pending = await inEachDatabase(
    settings,
    async (client) =>
      Number(
        (
          await client.query(
            `SELECT count(*) FROM outbox_events WHERE "createdAt" >= $1 AND "deliveredAt" IS NULL`,
            [since],
          )
        ).rows[0].count,
      ),
    'outbox_events',
  );
  const processed = await inEachDatabase(
    settings,
    async (client) =>
      Number(
        (
          await client.query(`SELECT count(*) FROM processed_events WHERE "processedAt" >= $1`, [
            since,
          ])
        ).rows[0].count,
      ),
    'processed_events',
  );
  const checks = await inEachDatabase(settings, async (client, subgraph) => {
    const query =
      subgraph === 'order'
        ? `SELECT count(*) FROM (SELECT "orderId", "toStatus" FROM order_status_changes WHERE "orderId" = ANY($1::uuid[]) GROUP BY 1, 2 HAVING count(*) > 1) d`
        : subgraph === 'payment'
          ? `SELECT count(*) FROM (SELECT "orderId" FROM payments WHERE "orderId" = ANY($1::uuid[]) AND status = 'SUCCEEDED' GROUP BY 1 HAVING count(*) > 1) d`
          : subgraph === 'delivery'
            ? `SELECT count(*) FROM (SELECT "orderId" FROM deliveries WHERE "orderId" = ANY($1::uuid[]) GROUP BY 1 HAVING count(*) > 1) d`
            : 'SELECT 0 AS count';
    return Number(
      (await client.query(query, subgraph === 'user' || subgraph === 'catalog' ? [] : [orderIds]))
        .rows[0].count,
    );
  });
  return { pending, processed, duplicates: checks };
}

await runMain(async () => {
  const settings = loadServerSettings();
  const deadline = setTimeout(() => {
    console.error(`scale drill: gave up after ${TIMEOUT_SECONDS} s`);
    process.exit(1);
  }, TIMEOUT_SECONDS * 1000);
  deadline.unref();
  const figures: Record<number, { perSecond: number; p50: number; p99: number }> = {};

  for (const instances of [1, 2]) {
    console.log(
      `\n${instances} instance(s) of each service behind haproxy: ${ROUNDS} rounds of ${ORDERS} placeOrder, ${CONCURRENCY} in flight`,
    );
    const cluster = await startCluster(settings, instances);
    try {
      figures[instances] = await measure(cluster);
      if (instances === 1) continue;

      const since = new Date(Date.now() - 1000);
      console.log(
        '\nflow with live tracking on both gateways, each step through the other gateway',
      );
      const before = await deliveredOrder(cluster);
      console.log(
        `  order ${before.orderId}: both subscriptions saw ${before.seen[0]!.join(' > ')}`,
      );

      console.log(
        '\nSIGKILL one instance of every kind midway through a flow and a burst of orders',
      );
      const burstCustomers = await customersWithCarts(cluster.gatewayUrl, ORDERS);
      let burst: Awaited<ReturnType<typeof placeAll>> | undefined;
      const after = await deliveredOrder(
        { ...cluster, gatewayInstanceUrls: [cluster.gatewayInstanceUrls[0]!] },
        async () => {
          const burstDone = placeAll(cluster.gatewayUrl, burstCustomers).then((r) => (burst = r));
          await new Promise((resolve) => setTimeout(resolve, 300));
          for (const kind of KINDS) cluster.instances.get(`${kind}-1`)!.child.kill('SIGKILL');
          console.log(`  killed ${KINDS.map((kind) => `${kind}-1`).join(', ')}`);
          await burstDone;
        },
      );
      console.log(
        `  order ${after.orderId}: completed through the survivors (${after.seen[0]!.join(' > ')}); the live tracking subscribed again ${after.resubscribed} time(s) after its subgraph instance died`,
      );
      console.log(
        `  burst: ${burst!.placed.length} of ${ORDERS} orders placed, ${burst!.failures.length} failed at the kill${burst!.failures[0] ? ` (e.g. ${burst!.failures[0]})` : ''}`,
      );

      // Placed orders of the burst: each reaches its own consumers; give the relays time to drain.
      const orderIds = [before.orderId, after.orderId, ...burst!.placed];
      let check = await exactlyOnce(settings, since, orderIds);
      for (let i = 0; i < 60 && Object.values(check.pending).some((n) => (n ?? 0) > 0); i++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        check = await exactlyOnce(settings, since, orderIds);
      }
      console.log('\nexactly once, across instances (events since the flows began):');
      for (const subgraph of SUBGRAPHS) {
        console.log(
          `  ${subgraph.padEnd(9)} events handled ${String(check.processed[subgraph] ?? '-').padStart(4)}, still pending in the outbox ${check.pending[subgraph] ?? '-'}, effects applied twice ${check.duplicates[subgraph]}`,
        );
      }
      const placedStates = await Promise.all(
        burst!.placed
          .slice(0, 5)
          .map(
            async (id) =>
              (await orderState(cluster.gatewayUrl, await signIn(cluster.gatewayUrl, 'admin'), id))
                ?.status,
          ),
      );
      console.log(`  burst orders readable after the kill (first 5): ${placedStates.join(', ')}`);
      if (
        Object.values(check.pending).some((n) => (n ?? 0) > 0) ||
        Object.values(check.duplicates).some((n) => (n ?? 0) > 0)
      ) {
        throw new Error('an event was not consumed exactly once');
      }
    } finally {
      await cluster.stop();
    }
  }

  const date = new Date().toISOString().slice(0, 10);
  console.log(
    `\nplaceOrder through haproxy, median of ${ROUNDS} rounds of ${ORDERS} orders, ${CONCURRENCY} in flight (${date}, Node ${process.version}):`,
  );
  console.log('| instances of each service | orders/s | p50 ms | p99 ms |');
  console.log('| ------------------------- | -------- | ------ | ------ |');
  for (const instances of [1, 2]) {
    const f = figures[instances]!;
    console.log(
      `| ${instances} | ${f.perSecond.toFixed(1)} | ${f.p50.toFixed(0)} | ${f.p99.toFixed(0)} |`,
    );
  }
  process.exit(0);
});
