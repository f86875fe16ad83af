import { trace, type Context, type TracerProvider } from '@opentelemetry/api';
import { createRequire } from 'node:module';
import type { TracingSettings } from '@sky/config';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  ParentBasedSampler,
  SamplingDecision,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type Sampler,
  type SamplingResult,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';

export type { ReadableSpan };
import { PrismaInstrumentation } from '@prisma/instrumentation';
import { SERVICE_ATTRIBUTE, serviceOf } from './context.ts';
import { RecentTraces } from './recent-traces.ts';

/**
 * Spans that start a trace of their own only in background loops (the outbox relay's and the
 * job runner's polls, twice a second per subgraph): recorded under a request or a handled event,
 * never as roots, or they would bury every request.
 */
const BACKGROUND_ROOT = /^prisma:/;

class RequestRootSampler implements Sampler {
  constructor(private readonly ratio: Sampler) {}

  shouldSample(...args: Parameters<Sampler['shouldSample']>): SamplingResult {
    if (BACKGROUND_ROOT.test(args[2])) return { decision: SamplingDecision.NOT_RECORD };
    return this.ratio.shouldSample(...args);
  }

  toString(): string {
    return `RequestRootSampler{${this.ratio.toString()}}`;
  }
}

/**
 * Processors the SDK calls, in a list that can grow after start: a test adds an in-memory
 * exporter to the same SDK production runs. It also names the service of every span from its
 * context (embedded mode serves six services from one process, with one resource).
 */
class SpanProcessors implements SpanProcessor {
  readonly processors = new Set<SpanProcessor>();

  constructor(private readonly defaultService: string) {}

  onStart(span: Span, parentContext: Context): void {
    span.setAttribute(SERVICE_ATTRIBUTE, serviceOf(parentContext) ?? this.defaultService);
    for (const processor of this.processors) processor.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    for (const processor of this.processors) processor.onEnd(span);
  }

  async forceFlush(): Promise<void> {
    await Promise.all([...this.processors].map((processor) => processor.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.processors].map((processor) => processor.shutdown()));
  }
}

interface StartedTracing {
  sdk: NodeSDK;
  processors: SpanProcessors;
  recent: RecentTraces | null;
}

let started: StartedTracing | null = null;

/**
 * @opentelemetry/api ships an ES module and a CommonJS build. They share the registered
 * globals, but each hands out tracers from its own proxy provider, and only the build that
 * registers the SDK (ours, the ES module) learns of it: a CommonJS library that took its tracer
 * at load time (Apollo Gateway: gateway.request, gateway.plan, gateway.fetch) would record
 * nothing. Its proxy is pointed at the registered provider too.
 */
function shareWithCommonJsApi(): void {
  const commonJs = createRequire(import.meta.url)('@opentelemetry/api') as {
    trace: { _proxyTracerProvider?: { setDelegate(provider: TracerProvider): void } };
  };
  if ((commonJs.trace as unknown) === trace) return;
  commonJs.trace._proxyTracerProvider?.setDelegate(trace.getTracerProvider());
}

/**
 * The instrumentations that patch libraries. They patch a module when it is loaded after
 * `startTracing` through `require` (pg's client, required inside pg, is), or through a global
 * hook the library looks up (Prisma), or a diagnostics channel (undici, Node's fetch); ES module
 * imports and bundled code are out of their reach, hence the explicit propagation in the kit.
 */
function instrumentations() {
  return [
    new HttpInstrumentation({
      // The kit starts the server span itself (it works where patching does not).
      ignoreIncomingRequestHook: () => true,
    }),
    new UndiciInstrumentation({
      // A fetch the kit already carries trace context on (gateway → subgraph, internal calls)
      // has its own span; a second traceparent header would make it unreadable.
      ignoreRequestHook: (request) => String(request.headers).includes('traceparent'),
    }),
    new GraphQLInstrumentation({ mergeItems: true, ignoreTrivialResolveSpans: true }),
    new PgInstrumentation({ requireParentSpan: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
    new PrismaInstrumentation(),
  ];
}

/**
 * Starts the OpenTelemetry Node SDK once per process (the first caller's settings win: embedded
 * mode starts it once for six services). W3C trace context, parent-based ratio sampling, OTLP/HTTP
 * export to a collector when one is configured, otherwise the last traces in memory for the
 * development page. Returns false when tracing is turned off.
 */
export function startTracing(settings: TracingSettings): boolean {
  if (started) return true;
  if (!settings.enabled) return false;
  const processors = new SpanProcessors(settings.serviceName);
  let recent: RecentTraces | null = null;
  if (settings.otlpEndpoint) {
    const url = new URL('v1/traces', settings.otlpEndpoint.replace(/\/?$/, '/')).href;
    processors.processors.add(new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }) }));
  } else if (settings.recentTraceLimit > 0) {
    recent = new RecentTraces(settings.recentTraceLimit, settings.serviceName);
    processors.processors.add(recent);
  }
  const sdk = new NodeSDK({
    serviceName: settings.serviceName,
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    autoDetectResources: false,
    textMapPropagator: new W3CTraceContextPropagator(),
    sampler: new ParentBasedSampler({
      root: new RequestRootSampler(new TraceIdRatioBasedSampler(settings.sampleRatio)),
    }),
    spanProcessors: [processors],
    instrumentations: instrumentations(),
  });
  sdk.start();
  shareWithCommonJsApi();
  started = { sdk, processors, recent };
  return true;
}

/** Adds a processor to the running SDK (tests collect spans in memory); returns its removal. */
export function addSpanProcessor(processor: SpanProcessor): () => void {
  if (!started) throw new Error('tracing is not started');
  const { processors } = started;
  processors.processors.add(processor);
  return () => processors.processors.delete(processor);
}

/**
 * Every span finished from now on, kept in memory (tests follow a request through them): an
 * in-memory exporter added to the running SDK, which is otherwise exactly production's.
 */
export function collectSpansInMemory(): { spans: () => ReadableSpan[]; stop: () => void } {
  const exporter = new InMemorySpanExporter();
  const remove = addSpanProcessor(new SimpleSpanProcessor({ exporter }));
  return { spans: () => exporter.getFinishedSpans(), stop: remove };
}

/** The traces kept in memory, or null when they are exported (or tracing is off). */
export function recentTraces(): RecentTraces | null {
  return started?.recent ?? null;
}

/** Exports what is buffered and stops the SDK (at process exit). */
export async function stopTracing(): Promise<void> {
  const current = started;
  started = null;
  await current?.sdk.shutdown();
}
