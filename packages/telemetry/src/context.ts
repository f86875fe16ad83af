import {
  context,
  createContextKey,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';

/**
 * Trace context across the seams the code base owns: HTTP hops, outbox events, live messages.
 * Auto-instrumentation patches modules as they are loaded, which does not reach code bundled by
 * esbuild or loaded through Vitest's transform; propagating here works in every mode. Without a
 * started SDK every call is a cheap no-op.
 */

/** The span attribute naming the service that recorded a span (embedded mode runs six). */
export const SERVICE_ATTRIBUTE = 'sky.service';
const SERVICE_KEY = createContextKey('sky.service');

export const tracer = trace.getTracer('sky');

/** W3C `traceparent` / `tracestate` of a context, as headers or a stored record. */
export type TraceCarrier = Record<string, string>;

/** The W3C headers of `ctx` (the active context by default); empty when there is no trace. */
export function traceCarrier(ctx: Context = context.active()): TraceCarrier {
  const carrier: TraceCarrier = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** Reads `traceparent` / `tracestate` from incoming headers or a stored carrier. */
export function contextFromCarrier(
  carrier: Record<string, string | string[] | undefined> | null | undefined,
): Context {
  if (!carrier) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** A link to the span a stored carrier names, or none when it names no valid span. */
export function linkTo(carrier: Record<string, string> | null | undefined): Link[] {
  const spanContext = trace.getSpanContext(contextFromCarrier(carrier));
  return spanContext && trace.isSpanContextValid(spanContext) ? [{ context: spanContext }] : [];
}

/** `ctx` marked as handled by `service`: spans started under it are attributed to it. */
export function withService(ctx: Context, service: string): Context {
  return ctx.setValue(SERVICE_KEY, service);
}

export function serviceOf(ctx: Context): string | undefined {
  const value = ctx.getValue(SERVICE_KEY);
  return typeof value === 'string' ? value : undefined;
}

/** Marks a span failed with the error's message (never its stack: spans leave the process). */
export function recordFailure(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message ?? 'error' });
}

export interface SpanSettings {
  kind?: SpanKind;
  attributes?: Attributes;
  links?: Link[];
  /** Parent context; default the active one. */
  parent?: Context;
  /** The service the span (and its children) belong to. */
  service?: string;
}

/** Runs `work` in a new active span that ends (failed if `work` throws) when `work` settles. */
export function inSpan<T>(
  name: string,
  settings: SpanSettings,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  let parent = settings.parent ?? context.active();
  if (settings.service) parent = withService(parent, settings.service);
  return tracer.startActiveSpan(
    name,
    { kind: settings.kind, attributes: settings.attributes, links: settings.links },
    parent,
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        recordFailure(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * What caused an object that travels on (a live message's payload after it was read): the
 * stream that produced it remembers the message's trace carrier, the code that sends it links
 * its span to it. Weak, so a payload dropped is forgotten.
 */
const causes = new WeakMap<object, TraceCarrier>();

export function rememberCause(target: unknown, carrier: TraceCarrier | null | undefined): void {
  if (carrier && typeof target === 'object' && target !== null) causes.set(target, carrier);
}

export function causeOf(target: unknown): TraceCarrier | null {
  return typeof target === 'object' && target !== null ? (causes.get(target) ?? null) : null;
}

export { context, ROOT_CONTEXT, SpanKind, trace };
export type { Context, Span };
