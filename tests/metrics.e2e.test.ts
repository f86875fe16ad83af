import { producesEvents } from '@sky/contracts';
import { graphql, SUBGRAPH_NAMES } from '@sky/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newCustomer,
  noodleHouse,
  dishNamed,
  ok,
  ORDERING_ENV,
  paidOrder,
  type Customer,
} from './flows.ts';
import { subscribe, type Recording } from './live.ts';
import { startTestSupergraph, type TestSupergraph } from './supergraph.ts';

/**
 * Every service's `/metrics` after real traffic through the gateway (server mode): a named and an
 * unnamed query, a refused query, placeOrder (internal calls to catalog and user), payOrder and
 * the provider's callback (payment.succeeded through the outbox to the order subgraph), and a
 * live subscription held open while the services are scraped.
 */

interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format, read just enough for assertions: samples by metric name. */
function parseExposition(text: string): Map<string, Sample[]> {
  const samples = new Map<string, Sample[]>();
  for (const line of text.split('\n')) {
    // A labelled family with nothing observed yet has only its HELP and TYPE lines.
    const declared = /^# TYPE (\S+) /.exec(line);
    if (declared && !samples.has(declared[1]!)) samples.set(declared[1]!, []);
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of match[2]?.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g) ?? []) {
      labels[pair[1]!] = pair[2]!;
    }
    const list = samples.get(match[1]!) ?? [];
    list.push({ labels, value: Number(match[3]) });
    samples.set(match[1]!, list);
  }
  return samples;
}

class Scrape {
  constructor(
    readonly service: string,
    private readonly samples: Map<string, Sample[]>,
  ) {}

  /** Samples of `name` whose labels include `labels`; fails when the family is missing. */
  select(name: string, labels: Record<string, string> = {}): Sample[] {
    const all = this.samples.get(name);
    if (!all) throw new Error(`${this.service}: no ${name} in /metrics`);
    return all.filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  }

  sum(name: string, labels: Record<string, string> = {}): number {
    return this.select(name, labels).reduce((total, s) => total + s.value, 0);
  }

  has(name: string): boolean {
    return this.samples.has(name);
  }
}

const metricsUrl = (graphqlUrl: string) => new URL('/metrics', graphqlUrl).href;

async function scrape(service: string, graphqlUrl: string): Promise<Scrape> {
  const response = await fetch(metricsUrl(graphqlUrl));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return new Scrape(service, parseExposition(await response.text()));
}

const TRACK = `
  subscription TrackForMetrics($orderId: ID!) {
    orderStatusChanged(orderId: $orderId) { status version }
  }
`;

let supergraph: TestSupergraph;
let customer: Customer;
let orderId: string;
let tracking: Recording<{ status: string }>;
const scrapes: Record<string, Scrape> = {};

beforeAll(async () => {
  supergraph = await startTestSupergraph({ env: ORDERING_ENV });
  const gateway = supergraph.gatewayUrl;
  customer = await newCustomer(gateway, noodleHouse);
  ok(
    await graphql(
      gateway,
      'query MerchantsForMetrics { merchants(first: 2) { edges { cursor } } }',
    ),
  );
  ok(await graphql(gateway, '{ merchants(first: 1) { edges { cursor } } }'));
  // A refusal: BAD_USER_INPUT counts as a client error, not a server one.
  const refused = await graphql(
    gateway,
    'query Refused { merchants(first: 0) { edges { cursor } } }',
  );
  expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  const beef = dishNamed(noodleHouse, '红烧牛肉面').id;
  orderId = await paidOrder(
    gateway,
    supergraph.paymentSandboxUrl,
    customer,
    noodleHouse.id,
    beef,
    '微辣 Mild',
  );
  // A query the delivery subgraph takes part in (Order.delivery), so the gateway fetches it too.
  ok(
    await graphql(
      gateway,
      'query OrderWithDelivery($id: ID!) { order(id: $id) { status delivery { status } } }',
      {
        token: customer.token,
        variables: { id: orderId },
      },
    ),
  );
  tracking = subscribe(gateway, customer.token, TRACK, { orderId });
  await tracking.until((messages) => messages.length >= 1);
  scrapes.gateway = await scrape('gateway', gateway);
  for (const name of SUBGRAPH_NAMES) {
    scrapes[name] = await scrape(name, supergraph.subgraphUrls[name]!);
  }
});
afterAll(async () => {
  await tracking?.stop();
  await supergraph?.stop();
});

describe('/metrics of every service after real traffic', () => {
  const services = ['gateway', ...SUBGRAPH_NAMES];

  it.each(services)(
    '%s: GraphQL rate, duration, in flight and the Node runtime, under its own service label',
    (service) => {
      const metrics = scrapes[service]!;
      expect(metrics.sum('sky_graphql_requests_total')).toBeGreaterThan(0);
      expect(metrics.sum('sky_graphql_request_duration_seconds_count')).toBeGreaterThan(0);
      expect(metrics.sum('sky_graphql_request_duration_seconds_sum')).toBeGreaterThan(0);
      expect(metrics.select('sky_http_requests_in_flight')).toHaveLength(1);
      expect(metrics.has('sky_graphql_request_errors_total')).toBe(true);
      expect(metrics.has('sky_graphql_errors_total')).toBe(true);
      // Runtime: event-loop lag and heap, sampled by prom-client into this service's registry.
      expect(metrics.select('nodejs_eventloop_lag_seconds')).toHaveLength(1);
      expect(metrics.sum('nodejs_eventloop_lag_p99_seconds')).toBeGreaterThan(0);
      expect(metrics.sum('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
      // Each service its own registry: every sample carries its own name and no other.
      const labelled = metrics.select('sky_graphql_requests_total');
      expect(new Set(labelled.map((s) => s.labels.service))).toEqual(new Set([service]));
      // Active sockets and subscriptions: the gateway and the order subgraph hold the one open now.
      expect(metrics.has('sky_websocket_connections')).toBe(true);
      expect(metrics.has('sky_graphql_subscriptions_active')).toBe(true);
    },
  );

  it('gateway: operations by folded name and type, errors by code, fetches per subgraph', () => {
    const gateway = scrapes.gateway!;
    expect(
      gateway.sum('sky_graphql_requests_total', {
        operation: 'MerchantsForMetrics',
        operation_type: 'query',
      }),
    ).toBe(1);
    expect(gateway.sum('sky_graphql_requests_total', { operation: '(anonymous)' })).toBeGreaterThan(
      0,
    );
    expect(
      gateway.sum('sky_graphql_requests_total', { operation_type: 'mutation' }),
    ).toBeGreaterThan(0);
    expect(gateway.sum('sky_graphql_errors_total', { code: 'BAD_USER_INPUT' })).toBeGreaterThan(0);
    expect(
      gateway.sum('sky_graphql_request_errors_total', { operation: 'Refused', kind: 'client' }),
    ).toBe(1);
    expect(gateway.sum('sky_graphql_request_errors_total', { kind: 'server' })).toBe(0);
    for (const subgraph of SUBGRAPH_NAMES) {
      expect(gateway.sum('sky_subgraph_fetch_requests_total', { subgraph })).toBeGreaterThan(0);
      expect(
        gateway.sum('sky_subgraph_fetch_duration_seconds_count', { subgraph }),
      ).toBeGreaterThan(0);
    }
    expect(gateway.sum('sky_subgraph_fetch_errors_total')).toBe(0);
    expect(gateway.sum('sky_websocket_connections')).toBeGreaterThanOrEqual(1);
    expect(gateway.sum('sky_graphql_subscriptions_active')).toBeGreaterThanOrEqual(1);
  });

  it('order: internal calls per target and endpoint, the subscription, the payment.succeeded consumer', () => {
    const order = scrapes.order!;
    for (const target of ['catalog', 'user']) {
      expect(order.sum('sky_internal_call_requests_total', { target })).toBeGreaterThan(0);
      expect(order.sum('sky_internal_call_duration_seconds_count', { target })).toBeGreaterThan(0);
    }
    expect(
      order.select('sky_internal_call_requests_total').every((s) => s.labels.endpoint !== ''),
    ).toBe(true);
    expect(order.sum('sky_internal_call_errors_total')).toBe(0);
    expect(order.sum('sky_graphql_subscriptions_active')).toBeGreaterThanOrEqual(1);
    expect(order.sum('sky_websocket_connections')).toBeGreaterThanOrEqual(1);
    expect(
      order.sum('sky_events_consumed_total', { type: 'payment.succeeded', outcome: 'handled' }),
    ).toBeGreaterThan(0);
    // Durable timers: the backlog gauges are read from scheduled_jobs at scrape time.
    expect(order.select('sky_jobs_due')).toHaveLength(1);
    expect(order.select('sky_jobs_scheduled')).toHaveLength(1);
    expect(order.has('sky_job_runs_total')).toBe(true);
  });

  it('payment: how it learnt the order, and the outbox it published payment.succeeded from', () => {
    const payment = scrapes.payment!;
    // Payment knows an order from order.placed, or, when payOrder comes before that event, from
    // its internal call to order: which one happened is a race, and each path is counted.
    expect(
      payment.sum('sky_internal_call_requests_total', { target: 'order' }) +
        payment.sum('sky_events_consumed_total', { type: 'order.placed', outcome: 'handled' }),
    ).toBeGreaterThan(0);
    expect(payment.sum('sky_outbox_events_published_total')).toBeGreaterThan(0);
    expect(payment.select('sky_outbox_relay_publish_failures_total')).toHaveLength(1);
    // The order consumer's lag behind payment's outbox, one series per consumer.
    expect(payment.select('sky_event_consumer_lag_seconds', { consumer: 'order' })).toHaveLength(1);
  });

  it.each(SUBGRAPH_NAMES)(
    '%s: the outbox gauges (when it produces events) and the database pool',
    (service) => {
      const metrics = scrapes[service]!;
      if (producesEvents(service)) {
        const oldest = metrics.select('sky_outbox_oldest_pending_age_seconds');
        expect(oldest).toHaveLength(1);
        expect(oldest[0]!.value).toBeGreaterThanOrEqual(0);
        expect(metrics.select('sky_outbox_pending_events')).toHaveLength(1);
      }
      // pg closes idle connections after 10 s, so an idle subgraph may hold none: the pool's
      // readings are checked for consistency rather than for a count.
      const total = metrics.select('sky_db_pool_connections', { state: 'total' });
      expect(total).toHaveLength(1);
      expect(
        metrics.sum('sky_db_pool_connections', { state: 'idle' }) +
          metrics.sum('sky_db_pool_connections', { state: 'busy' }),
      ).toBe(total[0]!.value);
      expect(metrics.sum('sky_db_pool_max_connections')).toBeGreaterThan(0);
      expect(metrics.select('sky_db_pool_waiting_requests')).toHaveLength(1);
      expect(metrics.sum('sky_metrics_sampler_failures_total')).toBe(0);
    },
  );

  it('is not reachable through the GraphQL path', async () => {
    const response = await fetch(new URL('/graphql/metrics', supergraph.gatewayUrl));
    expect(await response.text()).not.toContain('sky_graphql_requests_total');
  });
});
