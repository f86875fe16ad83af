/**
 * A 90-day merchant report through the gateway over >= 100k orders, and the platform-wide one.
 *   npm run bench:report [-- --orders 120000 --others 30000 --days 95 --runs 30]
 * Generates the history straight into the order, payment, delivery and user databases with
 * `generate_series` (orders with two items each, refunds for the cancelled tenth, a delivery per
 * completed order, customer accounts), then times sequential `businessReport` queries that ask
 * for every subgraph's part, and prints p50/p95. One request at a time: this measures a report's
 * latency, not throughput. Everything shares this machine's cores.
 */
import { prepareTemplateDatabases, graphql, TEST_ENV } from '@sky/testkit';
import { randomUUID } from 'node:crypto';
import { startTestSupergraph } from '../tests/supergraph.ts';
import { BUSINESS_REPORT } from '../tests/operations.ts';
import { withDatabase } from '../tests/report-fixtures.ts';
import { numberArg, percentile } from './measure.ts';

const ORDERS = numberArg('orders', 120_000);
const OTHERS = numberArg('others', 30_000);
const DAYS = numberArg('days', 95);
const RUNS = numberArg('runs', 30);
const merchantId = randomUUID();

const dropTemplates = await prepareTemplateDatabases();
const supergraph = await startTestSupergraph({ seed: false, env: { ...TEST_ENV } });
const { databases } = supergraph;
try {
  let started = performance.now();
  await withDatabase(databases.order!.url, async (client) => {
    // The merchant's orders (1..ORDERS) and other merchants' (one of 20 others each).
    await client.query(
      `INSERT INTO orders (id, "orderNumber", status, "payStatus", "customerId", "merchantId",
         "itemsTotalAmount", "packingFeeAmount", "deliveryFeeAmount", "totalAmount",
         "addressContactName", "addressPhone", "addressDetail", "addressLatitude", "addressLongitude",
         "placedAt", "updatedAt")
       SELECT gen_random_uuid(), 'BENCH' || lpad(g::text, 10, '0'),
         (CASE WHEN g % 10 = 0 THEN 'CANCELLED' WHEN g % 37 = 0 THEN 'TO_BE_CONFIRMED' ELSE 'COMPLETED' END)::"OrderStatus",
         (CASE WHEN g % 10 = 0 THEN 'REFUNDED' ELSE 'PAID' END)::"PayStatus",
         gen_random_uuid(),
         CASE WHEN g <= $1::int THEN $2::uuid ELSE md5('merchant' || (g % 20))::uuid END,
         1000 + g % 5000, 0, 0, 1000 + g % 5000, 'Bench', '13800000000', 'Bench Rd 1', 31.2, 121.4,
         now() - random() * ($3::text || ' days')::interval, now()
       FROM generate_series(1, $1::int + $4::int) g`,
      [ORDERS, merchantId, DAYS, OTHERS],
    );
    await client.query(
      `INSERT INTO order_items (id, "orderId", "dishId", name, quantity, "unitPriceAmount", "lineTotalAmount", "createdAt")
       SELECT gen_random_uuid(), o.id, md5('dish' || n)::uuid, 'Dish ' || n, 1 + k, 500, 500 * (1 + k), o."placedAt"
       FROM orders o CROSS JOIN generate_series(0, 1) k,
            LATERAL (SELECT abs(hashtext(o.id::text) + k * 7) % 40 AS n) pick`,
    );
    await client.query('ANALYZE');
  });
  await withDatabase(databases.payment!.url, async (client) => {
    await client.query(
      `WITH paid AS (
         INSERT INTO payments (id, "orderId", "customerId", "merchantId", amount, status, method, "createdAt", "paidAt", "updatedAt")
         SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), $1::uuid, 3000, 'REFUNDED', 'SANDBOX', t, t, t
         FROM (SELECT now() - random() * ($3::text || ' days')::interval AS t FROM generate_series(1, $2::int)) times
         RETURNING id, "createdAt")
       INSERT INTO refunds (id, "paymentId", amount, status, "createdAt", "completedAt", "updatedAt")
       SELECT gen_random_uuid(), id, 3000, 'SUCCEEDED', "createdAt", "createdAt" + interval '2 minutes', "createdAt"
       FROM paid`,
      [merchantId, Math.round(ORDERS / 10), DAYS],
    );
    await client.query('ANALYZE');
  });
  await withDatabase(databases.delivery!.url, async (client) => {
    await client.query(
      `INSERT INTO deliveries (id, "orderId", "merchantId", "customerId", status, "pickupLatitude", "pickupLongitude",
         "dropoffLatitude", "dropoffLongitude", "distanceMeters", "createdAt", "updatedAt", "deliveredAt")
       SELECT gen_random_uuid(), gen_random_uuid(), CASE WHEN g <= $1::int THEN $2::uuid ELSE md5('merchant' || (g % 20))::uuid END,
         gen_random_uuid(), 'DELIVERED', 31.2, 121.4, 31.21, 121.41, 1500, t, t, t + (15 + random() * 40) * interval '1 minute'
       FROM (SELECT g, now() - random() * ($3::text || ' days')::interval AS t FROM generate_series(1, $1::int + $4::int) g) times`,
      [Math.round(ORDERS * 0.87), merchantId, DAYS, Math.round(OTHERS * 0.87)],
    );
    await client.query('ANALYZE');
  });
  await withDatabase(databases.user!.url, async (client) => {
    await client.query(
      `INSERT INTO users (id, email, name, "passwordHash", roles, "createdAt", "updatedAt")
       SELECT gen_random_uuid(), 'bench' || g || '@bench.test', 'Bench', 'x', '{CUSTOMER}', t, t
       FROM (SELECT g, now() - random() * ($2::text || ' days')::interval AS t FROM generate_series(1, $1::int) g) times`,
      [Math.round((ORDERS + OTHERS) / 5), DAYS + 30],
    );
    await client.query('ANALYZE');
  });
  console.log(
    `generated ${ORDERS} orders of one merchant + ${OTHERS} of 20 others over ${DAYS} days, ` +
      `${2 * (ORDERS + OTHERS)} items, refunds, deliveries, customers in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const from = new Date(Date.parse(today) - 89 * 86_400_000).toISOString().slice(0, 10);
  const admin = supergraph.tokenFor({ userId: randomUUID(), roles: ['ADMIN'] });
  const staff = supergraph.tokenFor({
    userId: randomUUID(),
    roles: ['MERCHANT_STAFF'],
    merchantId,
  });

  const time = async (
    label: string,
    token: string,
    variables: Record<string, unknown>,
    runs: number,
  ) => {
    const latencies: number[] = [];
    let orders = 0;
    for (let run = 0; run < runs + 2; run++) {
      started = performance.now();
      const response = await graphql<{ businessReport: { totals: { orders: number } } }>(
        supergraph.gatewayUrl,
        BUSINESS_REPORT,
        { token, variables: { from, to: today, ...variables } },
      );
      const elapsed = performance.now() - started;
      if (response.errors) throw new Error(JSON.stringify(response.errors));
      orders = response.data!.businessReport.totals.orders;
      // The first two runs warm connections and plans; they are not counted.
      if (run >= 2) latencies.push(elapsed);
    }
    console.log(
      `${label}: ${orders} orders in range, ${runs} runs, p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
        `p95 ${percentile(latencies, 95).toFixed(1)} ms`,
    );
  };
  await time(`90-day merchant report (${from}..${today})`, staff, { merchantId }, RUNS);
  await time(
    '90-day platform report (every merchant)',
    admin,
    {},
    Math.max(5, Math.round(RUNS / 3)),
  );

  await withDatabase(databases.order!.url, async (client) => {
    const plan = await client.query(
      `EXPLAIN (ANALYZE, COSTS OFF)
       SELECT to_char(o.day, 'YYYY-MM-DD') AS day, count(*),
              count(*) FILTER (WHERE o.status = 'COMPLETED'), sum(o."totalAmount") FILTER (WHERE o.status = 'COMPLETED')
       FROM (SELECT (o."placedAt" AT TIME ZONE 'Asia/Shanghai')::date AS day, o.status, o."totalAmount"
             FROM orders o
             WHERE o."merchantId" = $1::uuid
               AND o."placedAt" >= ($2::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
               AND o."placedAt" < ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') o
       GROUP BY o.day`,
      [merchantId, from, today],
    );
    console.log("\nthe merchant report's day query:");
    for (const row of plan.rows as { 'QUERY PLAN': string }[])
      console.log(`  ${row['QUERY PLAN']}`);
  });
  console.log(`Node ${process.version}`);
} finally {
  await supergraph.stop();
  await dropTemplates();
}
