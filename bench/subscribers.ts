/**
 * Live tracking at scale: N concurrent subscribers to one order on one gateway instance (server
 * mode: PostgreSQL, Redis pub/sub), then the order's status changes; prints event-to-client
 * latency p50/p99 and the gateway process's memory per subscriber, beside a baseline run with one
 * subscriber in the same command.
 *   npm run bench:subscribers [-- --subscribers 1,1000,10000]
 * The first count is the baseline the others are compared with.
 * Subscribers live in a child process, so the memory figures are the platform's own. The
 * platform's gateway and five subgraphs share this process (and the machine's 2 cores).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { prepareTemplateDatabases } from '@sky/testkit';
import { startTestSupergraph } from '../tests/supergraph.ts';
import { TEST_ENV } from '@sky/testkit';
import { graphql } from '@sky/testkit';
import {
  completePayment,
  dishNamed,
  newCustomer,
  noodleHouse,
  ok,
  orderOneDish,
  payOrder,
} from '../tests/flows.ts';
import { signIn } from '../tests/helpers.ts';
import { percentile } from './measure.ts';

const index = process.argv.indexOf('--subscribers');
const COUNTS = (index > 0 ? process.argv[index + 1]! : '1,1000,10000').split(',').map(Number);
const LARGEST = Math.max(...COUNTS);
/** `--heap-snapshot`: writes a heap snapshot once the largest swarm has subscribed. */
const HEAP_SNAPSHOT = process.argv.includes('--heap-snapshot');

const mib = (bytes: number) => bytes / 1024 / 1024;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

const dropTemplates = await prepareTemplateDatabases();
const supergraph = await startTestSupergraph({
  env: {
    ...TEST_ENV,
    SANDBOX_CALLBACK_DELAY_MS: '600000',
    // Every subscriber of the benchmark comes from this machine's one address.
    WS_MAX_CONNECTIONS_PER_ADDRESS: String(LARGEST + 100),
    // Every subscriber is also the same customer, and the gateway carries one principal's
    // subscriptions to a subgraph on one upstream connection: all of them, started within a
    // second or so, reach the order subgraph on that one socket.
    MAX_SUBSCRIPTIONS_PER_CONNECTION: String(LARGEST + 100),
    WS_SUBSCRIBES_PER_SECOND: String(LARGEST + 100),
  },
});
const gateway = supergraph.gatewayUrl;
const staff = await signIn(gateway, 'staff-noodle-house');

async function run(subscribers: number) {
  const customer = await newCustomer(gateway, noodleHouse);
  const orderId = await orderOneDish(
    gateway,
    customer,
    noodleHouse.id,
    dishNamed(noodleHouse, '红烧牛肉面').id,
    '微辣 Mild',
  );
  gc();
  const before = process.memoryUsage();
  const swarm = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(import.meta.dirname, 'subscriber-swarm.ts'),
      gateway,
      customer.token,
      orderId,
      String(subscribers),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const waiting = new Map<string, (times: number[]) => void>();
  const received = (status: string) =>
    new Promise<number[]>((resolve) => waiting.set(status, resolve));
  createInterface({ input: swarm.stdout! }).on('line', (line) => {
    const message = JSON.parse(line) as {
      type: string;
      status?: string;
      times?: number[];
      error?: string;
    };
    if (message.type === 'all-received') waiting.get(message.status!)?.(message.times!);
    if (message.type === 'error') console.error('subscriber error:', message.error);
  });
  try {
    await received('PENDING_PAYMENT');
    gc();
    const after = process.memoryUsage();
    if (HEAP_SNAPSHOT && subscribers === LARGEST) {
      console.log(`heap snapshot: ${writeHeapSnapshot()}`);
    }

    const latencies: number[] = [];
    const paid = received('TO_BE_CONFIRMED');
    const payment = ok(await payOrder(gateway, customer.token, orderId)).payOrder;
    let t0 = Date.now();
    await completePayment(supergraph.paymentSandboxUrl, payment.providerPaymentId);
    latencies.push(...(await paid).map((t) => t - t0));
    const confirmed = received('CONFIRMED');
    t0 = Date.now();
    ok(
      await graphql(gateway, 'mutation($id: ID!) { acceptOrder(id: $id) { status } }', {
        token: staff,
        variables: { id: orderId },
      }),
    );
    latencies.push(...(await confirmed).map((t) => t - t0));
    return {
      subscribers,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      rssPerSubscriberKiB: (after.rss - before.rss) / subscribers / 1024,
      heapPerSubscriberKiB: (after.heapUsed - before.heapUsed) / subscribers / 1024,
      rssMiB: mib(after.rss),
    };
  } finally {
    swarm.kill();
  }
}

try {
  const results = [];
  for (const count of COUNTS) results.push(await run(count));
  const [baseline] = results;
  console.log(
    `Node ${process.version}; event = an order status change (payment callback, merchant accept)`,
  );
  for (const r of results) {
    console.log(
      `${String(r.subscribers).padStart(5)} subscriber(s): event-to-client p50 ${r.p50} ms, p99 ${r.p99} ms; ` +
        `memory per subscriber: RSS ${r.rssPerSubscriberKiB.toFixed(1)} KiB, heap ${r.heapPerSubscriberKiB.toFixed(1)} KiB ` +
        `(process RSS ${r.rssMiB.toFixed(0)} MiB)`,
    );
  }
  for (const r of results.slice(1)) {
    console.log(
      `p50 ratio ${r.subscribers} / ${baseline!.subscribers} subscriber(s): ${(r.p50 / Math.max(1, baseline!.p50)).toFixed(1)}x`,
    );
  }
} finally {
  await supergraph.stop();
  await dropTemplates();
}
