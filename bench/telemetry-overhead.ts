/**
 * What tracing plus metrics cost: the same workload with both off and both on, in separate
 * processes (the OpenTelemetry SDK is per process and cannot be turned off once started),
 * alternating off, on, off, on, ... so the machine's noise falls on both alike.
 *   npm run bench:telemetry [-- --rounds 3 --orders 40 --queries 300]
 * Each process starts the whole supergraph in server mode (PostgreSQL, Redis), places orders
 * (catalog quote, stock reservation, order transaction, outbox) and runs a query across all five
 * subgraphs, and prints its figures; this parent prints the medians and the on/off ratios.
 * "On" is what production runs: every request traced (sampling ratio 1, the worst case) into an
 * in-memory span processor as embedded mode does (an OTLP exporter would batch the same spans to
 * a collector), and every service's Prometheus metrics recorded.
 */
import { prepareTemplateDatabases, TEST_ENV } from '@sky/testkit';
import { startTracing } from '@sky/telemetry';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import {
  customersWithFilledCarts,
  dishNamed,
  newCustomer,
  noodleHouse,
  paidOrder,
  placeOrder,
} from '../tests/flows.ts';
import { ORDER_ACROSS_ALL_SUBGRAPHS } from '../tests/operations.ts';
import { startTestSupergraph } from '../tests/supergraph.ts';
import { load, median, numberArg } from './measure.ts';

/** One run's figures, printed by a child as its last line. */
interface RunFigures {
  placeOrderPerSecond: number;
  placeOrderP50: number;
  queryPerSecond: number;
  queryP50: number;
}

async function child(telemetry: 'on' | 'off'): Promise<RunFigures> {
  if (telemetry === 'on') {
    startTracing({
      enabled: true,
      serviceName: 'bench',
      sampleRatio: 1,
      otlpEndpoint: null,
      recentTraceLimit: 200,
    });
  }
  const orders = numberArg('orders', 40);
  const queries = numberArg('queries', 300);
  const supergraph = await startTestSupergraph({
    env: {
      ...TEST_ENV,
      SANDBOX_CALLBACK_DELAY_MS: '600000',
      METRICS_ENABLED: telemetry === 'on' ? 'true' : 'false',
      LOG_LEVEL: 'warn',
    },
  });
  const gateway = supergraph.gatewayUrl;
  try {
    const dish = dishNamed(noodleHouse, '红烧牛肉面');
    const customers = await customersWithFilledCarts(
      gateway,
      orders,
      noodleHouse,
      dish,
      '微辣 Mild',
    );
    // One paid order whose fields come from all five subgraphs.
    const reader = await newCustomer(gateway, noodleHouse);
    const orderId = await paidOrder(
      gateway,
      supergraph.paymentSandboxUrl,
      reader,
      noodleHouse.id,
      dish.id,
      '微辣 Mild',
    );
    const query = async () => {
      const response = await fetch(gateway, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${reader.token}` },
        body: JSON.stringify({ query: ORDER_ACROSS_ALL_SUBGRAPHS, variables: { id: orderId } }),
      });
      const body = (await response.json()) as { errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
    };
    await load(30, 4, query); // warm-up: plans cached, connections open
    const querying = await load(queries, 8, query);
    const placing = await load(orders, 4, async (i) => {
      const result = await placeOrder(gateway, customers[i]!, noodleHouse.id, randomUUID());
      if (result.errors) throw new Error(JSON.stringify(result.errors));
    });
    return {
      placeOrderPerSecond: placing.perSecond,
      placeOrderP50: placing.p50,
      queryPerSecond: querying.perSecond,
      queryP50: querying.p50,
    };
  } finally {
    await supergraph.stop();
  }
}

async function parent() {
  const rounds = numberArg('rounds', 3);
  const passOn = ['orders', 'queries'].flatMap((name) => {
    const index = process.argv.indexOf(`--${name}`);
    return index > 0 ? [`--${name}`, process.argv[index + 1]!] : [];
  });
  const dropTemplates = await prepareTemplateDatabases();
  const figures: Record<'on' | 'off', RunFigures[]> = { on: [], off: [] };
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const telemetry of ['off', 'on'] as const) {
        // The templates are this run's: the children copy them (SKY_TEST_RUN_ID is inherited).
        const { stdout } = await promisify(execFile)(
          process.execPath,
          ['--import', 'tsx', import.meta.filename, '--child', telemetry, ...passOn],
          { env: process.env, maxBuffer: 64 * 1024 * 1024 },
        );
        const run = JSON.parse(stdout.trim().split('\n').at(-1)!) as RunFigures;
        figures[telemetry].push(run);
        console.log(
          `round ${round}, telemetry ${telemetry.padEnd(3)}: placeOrder ${run.placeOrderPerSecond.toFixed(1)}/s ` +
            `(p50 ${run.placeOrderP50.toFixed(1)} ms); five-subgraph query ${run.queryPerSecond.toFixed(0)}/s ` +
            `(p50 ${run.queryP50.toFixed(1)} ms)`,
        );
      }
    }
  } finally {
    await dropTemplates();
  }
  const of = (telemetry: 'on' | 'off', key: keyof RunFigures) =>
    median(figures[telemetry].map((run) => run[key]));
  console.log(`\nmedian of ${rounds} rounds each, Node ${process.version}:`);
  console.log('| workload | off | on (tracing + metrics) | on / off |');
  console.log('| --- | --- | --- | --- |');
  for (const [label, key, unit] of [
    ['placeOrder rate', 'placeOrderPerSecond', '/s'],
    ['placeOrder p50', 'placeOrderP50', ' ms'],
    ['five-subgraph query rate', 'queryPerSecond', '/s'],
    ['five-subgraph query p50', 'queryP50', ' ms'],
  ] as const) {
    const off = of('off', key);
    const on = of('on', key);
    console.log(
      `| ${label} | ${off.toFixed(1)}${unit} | ${on.toFixed(1)}${unit} | ${(on / off).toFixed(2)}x |`,
    );
  }
}

const childIndex = process.argv.indexOf('--child');
if (childIndex > 0) {
  const telemetry = process.argv[childIndex + 1] === 'on' ? 'on' : 'off';
  const figures = await child(telemetry);
  console.log(JSON.stringify(figures));
  process.exit(0);
} else {
  await parent();
}
