import { collectSpansInMemory, startTracing, type ReadableSpan } from '@sky/telemetry';
import { SpanKind } from '@opentelemetry/api';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  addToCart,
  completePayment,
  dishNamed,
  newCustomer,
  noodleHouse,
  ok,
  ORDERING_ENV,
  payOrder,
  placeOrder,
  waitForOrder,
} from './flows.ts';
import { startTestSupergraph, type TestSupergraph } from './supergraph.ts';

/**
 * Follows one placeOrder by its trace id, in server mode: the SDK production starts (W3C
 * propagation, the same processors) with an in-memory exporter added, so the test reads every
 * span the platform finished. All six services run in this process, each naming itself on its
 * spans (`sky.service`) as in embedded mode.
 */
startTracing({
  enabled: true,
  serviceName: 'tests',
  sampleRatio: 1,
  otlpEndpoint: null,
  recentTraceLimit: 0,
});
const collected = collectSpansInMemory();

const logLines: Record<string, unknown>[] = [];
const logs = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
    done();
  },
});

let platform: TestSupergraph;
beforeAll(async () => {
  platform = await startTestSupergraph({
    env: { ...ORDERING_ENV, LOG_LEVEL: 'debug' },
    logDestination: logs,
  });
});
afterAll(async () => {
  collected.stop();
  await platform?.stop();
});

const service = (span: ReadableSpan) => String(span.attributes['sky.service']);
const spansOf = (traceId: string) =>
  collected.spans().filter((span) => span.spanContext().traceId === traceId);
/** The trace of the gateway request that answered with `requestId`. */
const traceOfRequest = (requestId: string) =>
  collected
    .spans()
    .find(
      (span) =>
        service(span) === 'gateway' &&
        span.kind === SpanKind.SERVER &&
        span.attributes['sky.request_id'] === requestId,
    )
    ?.spanContext().traceId;

describe('tracing', () => {
  it('follows one placeOrder by its trace id, through payment.succeeded, and tags its log lines', async () => {
    const gateway = platform.gatewayUrl;
    const customer = await newCustomer(gateway, noodleHouse);
    const dish = dishNamed(noodleHouse, '葱油拌面');
    ok(
      await addToCart(gateway, customer.token, {
        merchantId: noodleHouse.id,
        dishId: dish.id,
        quantity: 2,
      }),
    );
    const placed = await placeOrder(gateway, customer, noodleHouse.id);
    const orderId = ok(placed).placeOrder.id;
    const requestId = placed.extensions?.requestId as string;

    // The gateway's server span ends once the response is flushed, so it may trail the client.
    const traceId = await vi.waitFor(() => {
      const found = traceOfRequest(requestId);
      expect(found).toBeDefined();
      return found!;
    });
    await vi.waitFor(() => {
      const spans = spansOf(traceId);
      const named = (name: string | RegExp, owner: string) =>
        spans.filter((span) => service(span) === owner && span.name.match(name));
      // The gateway: its server span, Apollo Gateway's planning and subgraph fetches.
      expect(named(/^POST \/graphql$/, 'gateway')).toHaveLength(1);
      expect(named(/^gateway\.fetch/, 'gateway').length).toBeGreaterThan(0);
      // The order subgraph continued the gateway's trace (traceparent on the subgraph fetch).
      expect(named(/^POST \/graphql$/, 'order')).toHaveLength(1);
      // The catalog quote: the order's client span, the catalog's server span under it.
      const quoteCall = named('internal quote-order', 'order');
      expect(quoteCall).toHaveLength(1);
      const quoteServed = named(/^POST \/internal\/quote-order$/, 'catalog');
      expect(quoteServed).toHaveLength(1);
      expect(quoteServed[0]!.parentSpanContext?.spanId).toBe(quoteCall[0]!.spanContext().spanId);
      // SQL in both subgraphs (Prisma's spans; pg's too where its client was patched).
      const sql = (owner: string) =>
        spans.filter(
          (span) =>
            service(span) === owner &&
            (span.name === 'prisma:client:db_query' || span.name.startsWith('pg.query')),
        );
      expect(sql('order').length).toBeGreaterThan(0);
      expect(sql('catalog').length).toBeGreaterThan(0);
    });

    // Paying: the provider calls the payment subgraph back, which writes payment.succeeded;
    // the order subgraph's handling of it is a trace of its own, linked to that request.
    const payment = ok(await payOrder(gateway, customer.token, orderId)).payOrder;
    await completePayment(platform.paymentSandboxUrl, payment.providerPaymentId);
    await waitForOrder(gateway, customer.token, orderId, {
      status: 'TO_BE_CONFIRMED',
      payStatus: 'PAID',
    });
    const consumed = await vi.waitFor(() => {
      const span = collected
        .spans()
        .find(
          (candidate) =>
            candidate.name === 'consume payment.succeeded' &&
            service(candidate) === 'order' &&
            candidate.attributes['sky.event.outcome'] === 'handled',
        );
      expect(span).toBeDefined();
      return span!;
    });
    expect(consumed.kind).toBe(SpanKind.CONSUMER);
    expect(consumed.links).toHaveLength(1);
    const producer = consumed.links[0]!.context;
    const producingTrace = spansOf(producer.traceId);
    const producingSpan = producingTrace.find(
      (span) => span.spanContext().spanId === producer.spanId,
    );
    expect(producingSpan && service(producingSpan)).toBe('payment');
    expect(
      producingTrace.some((span) => service(span) === 'payment' && span.kind === SpanKind.SERVER),
    ).toBe(true);
    // The handler's own work (its SQL) is inside the consumer's trace.
    expect(
      spansOf(consumed.spanContext().traceId).some(
        (span) => span.name === 'prisma:client:db_query',
      ),
    ).toBe(true);

    // Every log line of the placeOrder request, in every service, carries its trace id.
    const requestLines = logLines.filter((line) => line.requestId === requestId);
    const services = new Set(requestLines.map((line) => line.service));
    // The order subgraph calls catalog (quote, stock) and user (the address) for it.
    expect(services).toEqual(new Set(['gateway', 'order', 'catalog', 'user']));
    for (const line of requestLines) {
      expect(line).toMatchObject({
        trace_id: traceId,
        span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
      });
    }
  });
});
