/**
 * placeOrder throughput through the gateway in server mode (PostgreSQL with one database per
 * subgraph, Redis), beside a trivial query's rate through the same gateway in the same run.
 *   npm run bench:place-order [-- --orders 100 --concurrency 8 --rounds 3]
 * Everything (load generator, gateway, five subgraphs) shares this machine's cores: the figures
 * are for comparing runs on the same machine, not a capacity claim.
 */
import { prepareTemplateDatabases } from '@sky/testkit';
import { startTestSupergraph } from '../tests/supergraph.ts';
import { TEST_ENV } from '@sky/testkit';
import { randomUUID } from 'node:crypto';
import { customersWithFilledCarts, dishNamed, noodleHouse, placeOrder } from '../tests/flows.ts';
import { load, median, numberArg } from './measure.ts';

const ORDERS = numberArg('orders', 100);
const CONCURRENCY = numberArg('concurrency', 8);
const ROUNDS = numberArg('rounds', 3);

const dropTemplates = await prepareTemplateDatabases();
const supergraph = await startTestSupergraph({
  env: { ...TEST_ENV, SANDBOX_CALLBACK_DELAY_MS: '600000' },
});
const gateway = supergraph.gatewayUrl;
const dish = dishNamed(noodleHouse, '红烧牛肉面');
try {
  const placeRates: number[] = [];
  const baselineRates: number[] = [];
  const placeP50: number[] = [];
  const baselineP50: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const customers = await customersWithFilledCarts(
      gateway,
      ORDERS,
      noodleHouse,
      dish,
      '微辣 Mild',
    );
    const baseline = await load(ORDERS * 5, CONCURRENCY, async () => {
      const response = await fetch(gateway, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      await response.json();
    });
    const placing = await load(ORDERS, CONCURRENCY, async (i) => {
      const result = await placeOrder(gateway, customers[i]!, noodleHouse.id, randomUUID());
      if (result.errors) throw new Error(JSON.stringify(result.errors));
    });
    placeRates.push(placing.perSecond);
    baselineRates.push(baseline.perSecond);
    placeP50.push(placing.p50);
    baselineP50.push(baseline.p50);
    console.log(
      `round ${round}: placeOrder ${placing.perSecond.toFixed(1)}/s (p50 ${placing.p50.toFixed(1)} ms, p99 ${placing.p99.toFixed(1)} ms); ` +
        `{ __typename } ${baseline.perSecond.toFixed(0)}/s (p50 ${baseline.p50.toFixed(2)} ms)`,
    );
  }
  console.log(
    `\nmedian of ${ROUNDS} rounds, ${ORDERS} orders per round, ${CONCURRENCY} in flight, Node ${process.version}:`,
  );
  console.log(
    `placeOrder through the gateway: ${median(placeRates).toFixed(1)} orders/s, p50 ${median(placeP50).toFixed(1)} ms`,
  );
  console.log(
    `baseline { __typename }:        ${median(baselineRates).toFixed(0)} requests/s, p50 ${median(baselineP50).toFixed(2)} ms`,
  );
  console.log(
    `ratio baseline / placeOrder rate: ${(median(baselineRates) / median(placeRates)).toFixed(1)}x`,
  );
} finally {
  await supergraph.stop();
  await dropTemplates();
}
