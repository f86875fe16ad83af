import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of one service. Every service has its OWN registry with the default label
 * `service=<name>`: embedded mode runs the gateway and the five subgraphs in one process, so
 * prom-client's global registry would mix their numbers. Names follow Prometheus conventions
 * (base units, `_total` counters, `_seconds` durations), all under the `sky_` prefix except the
 * Node runtime families prom-client names itself (`process_*`, `nodejs_*`).
 */

/** Latency buckets (seconds) shared by every duration histogram: 5 ms to 10 s. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Seconds since `startedAt` (a `process.hrtime.bigint()` reading). */
export const secondsSince = (startedAt: bigint): number =>
  Number(process.hrtime.bigint() - startedAt) / 1e9;

/**
 * Rate, failures and duration of one kind of outgoing call (gateway -> subgraph fetches, internal
 * calls between subgraphs), labelled by `labels` (bounded by the code: subgraph names, endpoint
 * names).
 */
export class CallMetrics<Label extends string> {
  readonly requests: Counter<Label>;
  readonly failures: Counter<Label>;
  readonly duration: Histogram<Label>;

  constructor(
    registry: Registry,
    prefix: string,
    what: string,
    readonly labelNames: readonly Label[],
  ) {
    this.requests = new Counter({
      name: `${prefix}_requests_total`,
      help: `${what}: calls made.`,
      labelNames,
      registers: [registry],
    });
    this.failures = new Counter({
      name: `${prefix}_errors_total`,
      help: `${what}: calls that failed (no answer, HTTP 5xx, or a server-side error code; a domain refusal is not a failure).`,
      labelNames,
      registers: [registry],
    });
    this.duration = new Histogram({
      name: `${prefix}_duration_seconds`,
      help: `${what}: time to the answer, in seconds.`,
      labelNames,
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
  }

  /**
   * Times `call`. A throw is a failure unless `refusal` says it is the callee's answer (a domain
   * refusal); an answer is a failure when `failed` says so (errors inside a 200 response).
   */
  async measure<T>(
    labels: Record<Label, string>,
    call: () => Promise<T>,
    judge: { failed?: (answer: T) => boolean; refusal?: (error: unknown) => boolean } = {},
  ): Promise<T> {
    const started = process.hrtime.bigint();
    this.requests.inc(labels);
    try {
      const answer = await call();
      if (judge.failed?.(answer)) this.failures.inc(labels);
      return answer;
    } catch (error) {
      if (!judge.refusal?.(error)) this.failures.inc(labels);
      throw error;
    } finally {
      this.duration.observe(labels, secondsSince(started));
    }
  }
}

/** A reading taken at scrape time (database gauges, open sockets); it sets gauges itself. */
export type ScrapeSampler = () => void | Promise<void>;

export interface ServiceMetricsOptions {
  /** prom-client's Node runtime collectors (event-loop lag, heap, GC, CPU); default on. */
  runtime?: boolean;
}

export class ServiceMetrics {
  readonly registry = new Registry();

  /** GraphQL operations this service executed (Apollo plugin in the server kit). */
  readonly graphqlRequests: Counter<'operation' | 'operation_type'>;
  readonly graphqlRequestErrors: Counter<'operation' | 'operation_type' | 'kind'>;
  readonly graphqlDuration: Histogram<'operation' | 'operation_type'>;
  readonly graphqlErrors: Counter<'code'>;
  /** HTTP requests being handled now (the Kubernetes HPA's custom metric). */
  readonly httpInFlight: Gauge;
  /** Gateway -> subgraph fetches. */
  readonly subgraphFetches: CallMetrics<'subgraph'>;
  /** Internal calls to other subgraphs (`callInternal`). */
  readonly internalCalls: CallMetrics<'target' | 'endpoint'>;
  /** Open graphql-ws sockets and the subscriptions active on them. */
  readonly webSockets: Gauge;
  readonly subscriptions: Gauge;
  /** Outbox, consumers and durable timers (packages/events). */
  readonly events: EventMetrics;
  /** The database pool (server mode: pg Pool; embedded: PGlite's single connection). */
  readonly databaseConnections: Gauge<'state'>;
  readonly databaseWaiting: Gauge;
  readonly databaseMaxConnections: Gauge;
  private readonly samplers: ScrapeSampler[] = [];
  private readonly scrapeFailures: Counter<'sampler'>;

  constructor(
    readonly service: string,
    options: ServiceMetricsOptions = {},
  ) {
    const registry = this.registry;
    registry.setDefaultLabels({ service });
    if (options.runtime ?? true) collectDefaultMetrics({ register: registry });
    const registers = [registry];
    this.graphqlRequests = new Counter({
      name: 'sky_graphql_requests_total',
      help: 'GraphQL requests executed, by operation name (folded: see the README) and type.',
      labelNames: ['operation', 'operation_type'],
      registers,
    });
    this.graphqlRequestErrors = new Counter({
      name: 'sky_graphql_request_errors_total',
      help: 'GraphQL requests answered with errors; kind=server when one is a server-side failure (INTERNAL_SERVER_ERROR, SERVICE_UNAVAILABLE), kind=client for refusals only.',
      labelNames: ['operation', 'operation_type', 'kind'],
      registers,
    });
    this.graphqlDuration = new Histogram({
      name: 'sky_graphql_request_duration_seconds',
      help: 'GraphQL request duration from receipt to response, in seconds.',
      labelNames: ['operation', 'operation_type'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.graphqlErrors = new Counter({
      name: 'sky_graphql_errors_total',
      help: 'GraphQL errors sent to callers, by extensions.code (as the caller sees it).',
      labelNames: ['code'],
      registers,
    });
    this.httpInFlight = new Gauge({
      name: 'sky_http_requests_in_flight',
      help: 'HTTP requests being handled now (health checks and scrapes excluded).',
      registers,
    });
    this.subgraphFetches = new CallMetrics(
      registry,
      'sky_subgraph_fetch',
      'Gateway fetches from subgraphs',
      ['subgraph'],
    );
    this.internalCalls = new CallMetrics(
      registry,
      'sky_internal_call',
      'Internal calls to other subgraphs',
      ['target', 'endpoint'],
    );
    this.webSockets = new Gauge({
      name: 'sky_websocket_connections',
      help: 'Open graphql-ws WebSocket connections.',
      registers,
    });
    this.subscriptions = new Gauge({
      name: 'sky_graphql_subscriptions_active',
      help: 'GraphQL subscriptions active on this service.',
      registers,
    });
    this.events = new EventMetrics(registry);
    this.databaseConnections = new Gauge({
      name: 'sky_db_pool_connections',
      help: 'Database connections by state (total, idle, busy).',
      labelNames: ['state'],
      registers,
    });
    this.databaseWaiting = new Gauge({
      name: 'sky_db_pool_waiting_requests',
      help: 'Queries waiting for a free database connection.',
      registers,
    });
    this.databaseMaxConnections = new Gauge({
      name: 'sky_db_pool_max_connections',
      help: 'Largest number of database connections the pool opens.',
      registers,
    });
    this.scrapeFailures = new Counter({
      name: 'sky_metrics_sampler_failures_total',
      help: 'Scrape-time readings that failed (their gauges keep the previous value).',
      labelNames: ['sampler'],
      registers,
    });
  }

  /** Adds a reading taken before each scrape; `name` labels its failures. */
  sampleOnScrape(name: string, sampler: ScrapeSampler): void {
    this.samplers.push(async () => {
      try {
        await sampler();
      } catch {
        this.scrapeFailures.inc({ sampler: name });
      }
    });
  }

  /** The exposition text: scrape-time readings first, then every family. */
  async render(): Promise<string> {
    await Promise.all(this.samplers.map((sample) => sample()));
    return this.registry.metrics();
  }
}

/**
 * The event machinery's families. Gauges are read from the outbox and job tables at scrape time
 * (see the events package); counters move as the relay, consumers and job runner work.
 */
export class EventMetrics {
  readonly outboxPending: Gauge;
  readonly outboxOldestPendingAge: Gauge;
  readonly consumerLag: Gauge<'consumer'>;
  readonly consumerPending: Gauge<'consumer'>;
  readonly published: Counter;
  readonly publishFailures: Counter;
  readonly consumed: Counter<'type' | 'outcome'>;
  readonly consumeFailures: Counter;
  readonly jobsDue: Gauge;
  readonly jobsScheduled: Gauge;
  readonly jobRuns: Counter<'kind' | 'outcome'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.outboxPending = new Gauge({
      name: 'sky_outbox_pending_events',
      help: 'Outbox events not yet acknowledged by all their consumers (outbox depth).',
      registers,
    });
    this.outboxOldestPendingAge = new Gauge({
      name: 'sky_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest outbox event not yet acknowledged by all its consumers (0 when none).',
      registers,
    });
    this.consumerLag = new Gauge({
      name: 'sky_event_consumer_lag_seconds',
      help: 'Age of the oldest event of this producer that a consumer has not acknowledged (0 when caught up).',
      labelNames: ['consumer'],
      registers,
    });
    this.consumerPending = new Gauge({
      name: 'sky_event_consumer_pending_events',
      help: 'Events of this producer a consumer has not acknowledged yet.',
      labelNames: ['consumer'],
      registers,
    });
    this.published = new Counter({
      name: 'sky_outbox_events_published_total',
      help: 'Outbox events handed to the transport by the relay (re-publications included).',
      registers,
    });
    this.publishFailures = new Counter({
      name: 'sky_outbox_relay_publish_failures_total',
      help: 'Relay runs that failed to publish (transport or database down); the events stay pending.',
      registers,
    });
    this.consumed = new Counter({
      name: 'sky_events_consumed_total',
      help: 'Events taken by this service as a consumer, by type and outcome (handled, duplicate, parked).',
      labelNames: ['type', 'outcome'],
      registers,
    });
    this.consumeFailures = new Counter({
      name: 'sky_event_consume_failures_total',
      help: 'Event handlings that failed and will be retried.',
      registers,
    });
    this.jobsDue = new Gauge({
      name: 'sky_jobs_due',
      help: 'Durable timers due now and not yet run (job backlog).',
      registers,
    });
    this.jobsScheduled = new Gauge({
      name: 'sky_jobs_scheduled',
      help: 'Durable timers waiting, due or not.',
      registers,
    });
    this.jobRuns = new Counter({
      name: 'sky_job_runs_total',
      help: 'Durable timer runs by kind and outcome (done, failed).',
      labelNames: ['kind', 'outcome'],
      registers,
    });
  }
}

/** `GET /metrics` as a plain Node handler (Express mounts it as is; access is checked before). */
export function metricsEndpoint(metrics: ServiceMetrics) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    metrics.render().then(
      (text) => {
        res.setHeader('content-type', metrics.registry.contentType);
        res.setHeader('cache-control', 'no-store');
        res.end(text);
      },
      () => {
        res.statusCode = 500;
        res.end('metrics unavailable\n');
      },
    );
  };
}

/** Counts HTTP requests in flight on `gauge` until each response is finished or abandoned. */
export function inFlightRequests(gauge: Gauge) {
  return (_req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    gauge.inc();
    res.once('close', () => gauge.dec());
    next();
  };
}
