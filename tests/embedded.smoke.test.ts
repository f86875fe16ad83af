import { startPlatform, type Platform } from '@sky/embedded';
import { DEMO_PASSWORD, demoHistory, demoId, orders } from '@sky/demo-data';
import { createLogger } from '@sky/logging';
import { startTracing } from '@sky/telemetry';
import { graphql } from '@sky/testkit';
import { TEST_ENV } from '@sky/testkit';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signIn } from './helpers.ts';
import {
  completePayment,
  DEMO_COMPLETED_ORDER_ACROSS_ALL_SUBGRAPHS,
  dishNamed,
  noodleHouse,
  ok,
  orderOneDish,
  payOrder,
  waitForOrder,
} from './flows.ts';
import { subscribe } from './live.ts';
import { LOGIN, ORDER_ACROSS_ALL_SUBGRAPHS } from './operations.ts';

// As `npm start` does: one SDK for the process, recent traces kept in memory for /debug/traces.
startTracing({
  enabled: true,
  serviceName: 'sky-embedded',
  sampleRatio: 1,
  otlpEndpoint: null,
  recentTraceLimit: 50,
});

/**
 * The README's run mode: one process, PGlite on disk per subgraph (made from a prepared template
 * on first start, as `npm start` does), demo data on first start.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'sky-embedded-'));
const start = () =>
  startPlatform({
    storage: { mode: 'embedded', dataDir, templateDir: join(dataDir, 'templates') },
    seed: true,
    gatewayPort: 0,
    host: '127.0.0.1',
    env: TEST_ENV,
    logger: createLogger('embedded-test', 'silent'),
  });

let running: Platform | null = null;
afterAll(async () => {
  await running?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const completedOrder = orders.find((o) => o.status === 'COMPLETED')!;

describe('embedded mode', () => {
  let token = '';

  it('starts, seeds every subgraph and answers a query across all five', async () => {
    running = await start();
    expect(running.seeded).toEqual(['user', 'catalog', 'order', 'payment', 'delivery']);
    token = await signIn(running.gatewayUrl, 'alice');
    const response = await graphql(running.gatewayUrl, ORDER_ACROSS_ALL_SUBGRAPHS, {
      token,
      variables: { id: completedOrder.id },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data).toMatchObject(DEMO_COMPLETED_ORDER_ACROSS_ALL_SUBGRAPHS);
    for (const url of Object.values(running.subgraphUrls)) {
      const ready = await fetch(url.replace('/graphql', '/health/ready'));
      expect(ready.status).toBe(200);
    }

    // The development page lists that query's trace; opened, it shows the spans of the gateway
    // and of every subgraph the query reached, PGlite's SQL included.
    const tracesUrl = new URL('/debug/traces', running.gatewayUrl).href;
    const listed = (await (
      await fetch(tracesUrl, { headers: { accept: 'application/json' } })
    ).json()) as { traceId: string; root: string }[];
    const requestId = response.extensions?.requestId;
    const traces = await Promise.all(
      listed.map(
        async ({ traceId }) =>
          (await (
            await fetch(`${tracesUrl}/${traceId}`, { headers: { accept: 'application/json' } })
          ).json()) as {
            spans: { name: string; service: string; attributes: Record<string, unknown> }[];
          },
      ),
    );
    const queryTrace = traces.find((trace) =>
      trace.spans.some((span) => span.attributes['sky.request_id'] === requestId),
    );
    expect(queryTrace).toBeDefined();
    // (The trace starts at this test's own fetch, a client span of the process's default name.)
    const services = new Set(queryTrace!.spans.map((span) => span.service));
    expect([...services]).toEqual(
      expect.arrayContaining(['gateway', 'user', 'catalog', 'order', 'payment', 'delivery']),
    );
    expect(queryTrace!.spans.some((span) => span.name === 'prisma:client:db_query')).toBe(true);
    const page = await fetch(tracesUrl, { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain(listed[0]!.traceId);
    // A cold start (migrations and seeding of five PGlite databases) on a loaded machine.
  }, 180_000);

  it('seeds the order history so that all five subgraphs agree on ids and amounts', async () => {
    const history = demoHistory(new Date());
    const refunded = history.orders.find((o) => o.refund)!;
    const delivered = history.orders.find((o) => o.delivery)!;
    for (const order of [refunded, delivered]) {
      const customer = history.customers.find((c) => c.id === order.customerId)!;
      const login = await graphql<{ login: { accessToken: string } }>(running!.gatewayUrl, LOGIN, {
        variables: { email: customer.email, password: DEMO_PASSWORD },
      });
      const response = await graphql(running!.gatewayUrl, ORDER_ACROSS_ALL_SUBGRAPHS, {
        token: login.data!.login.accessToken,
        variables: { id: order.id },
      });
      expect(response.errors).toBeUndefined();
      expect(response.data).toMatchObject({
        order: {
          orderNumber: order.orderNumber,
          status: order.status,
          payStatus: order.refund ? 'REFUNDED' : 'PAID',
          total: { amount: order.totalAmount },
          customer: { name: customer.name },
          payment: {
            status: order.refund ? 'REFUNDED' : 'SUCCEEDED',
            amount: { amount: order.totalAmount },
          },
          delivery: order.delivery ? { status: 'DELIVERED' } : null,
        },
      });
    }
  });

  it('keeps its data and signing keys across a restart, without seeding again', async () => {
    await running!.stop();
    running = await start();
    expect(running.seeded).toEqual([]);
    // A token issued before the restart still verifies: the key pair lives in the data directory.
    const response = await graphql<{ me: { name: string } }>(
      running.gatewayUrl,
      '{ me { name } }',
      { token },
    );
    expect(response.data?.me.name).toBe('张丽 Alice Zhang');
  });

  it('places, tracks live and pays an order, events crossing subgraphs in process', async () => {
    const gateway = running!.gatewayUrl;
    const alice = { token, userId: demoId('user:alice'), addressId: demoId('address:alice:home') };
    const beef = dishNamed(noodleHouse, '红烧牛肉面').id;
    const orderId = await orderOneDish(gateway, alice, noodleHouse.id, beef, '微辣 Mild');
    // Live tracking works the same in one process (in-process pub/sub behind the same gateway).
    const tracking = subscribe<{ status: string; version: number }>(
      gateway,
      token,
      'subscription($id: ID!) { orderStatusChanged(orderId: $id) { status version merchant { name } } }',
      { id: orderId },
    );
    try {
      await tracking.until((m) => m.length >= 1);
      expect(tracking.messages[0]!.status).toBe('PENDING_PAYMENT');
      const payment = ok(await payOrder(gateway, token, orderId)).payOrder;
      await completePayment(running!.paymentSandboxUrl, payment.providerPaymentId);
      await waitForOrder(gateway, token, orderId, { status: 'TO_BE_CONFIRMED', payStatus: 'PAID' });
      await tracking.until((m) => m.some((x) => x.status === 'TO_BE_CONFIRMED'));
      expect(tracking.errors).toEqual([]);
    } finally {
      await tracking.stop();
    }
  });

  it('serves each service its own /metrics in one process, PGlite readings included', async () => {
    const platform = running!;
    const services = { gateway: platform.gatewayUrl, ...platform.subgraphUrls };
    for (const [service, url] of Object.entries(services)) {
      const text = await (await fetch(new URL('/metrics', url))).text();
      // Its own registry: its name on its samples, no other service's.
      expect(text).toMatch(
        new RegExp(`^nodejs_heap_size_used_bytes\\{service="${service}"\\} \\d`, 'm'),
      );
      expect(text).not.toMatch(new RegExp(`service="(?!${service}")`));
      // No scrape-time reading failed (the outbox and job queries run on PGlite too).
      expect(text).not.toMatch(/^sky_metrics_sampler_failures_total\{/m);
      if (service !== 'gateway') {
        expect(text).toContain(`sky_db_pool_connections{state="total",service="${service}"} 1`);
      }
    }
    const gateway = await (await fetch(new URL('/metrics', platform.gatewayUrl))).text();
    expect(gateway).toMatch(/^sky_graphql_requests_total\{.*operation_type="mutation".*\} [1-9]/m);
    const order = await (await fetch(new URL('/metrics', platform.subgraphUrls.order!))).text();
    expect(order).toMatch(/^sky_outbox_oldest_pending_age_seconds\{service="order"\} \d/m);
  });
});
