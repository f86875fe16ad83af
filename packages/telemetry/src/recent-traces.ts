import { SpanKind, SpanStatusCode, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { SERVICE_ATTRIBUTE } from './context.ts';

/** One finished span as the development page shows it. */
export interface RecordedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: string;
  /** The service that recorded it (several share one process in embedded mode). */
  service: string;
  /** Milliseconds since the epoch. */
  startedAt: number;
  durationMs: number;
  error: string | null;
  attributes: Record<string, unknown>;
  /** Spans this one follows without being their child (an outbox event's producer). */
  links: { traceId: string; spanId: string }[];
}

export interface RecordedTrace {
  traceId: string;
  /** When its first finished span started. */
  startedAt: number;
  spans: RecordedSpan[];
}

/** A trace with more spans than this keeps its first ones (a runaway loop cannot fill memory). */
const MAX_SPANS_PER_TRACE = 1_000;

const hrTimeToMs = ([seconds, nanos]: [number, number]) => seconds * 1_000 + nanos / 1e6;

/**
 * The last traces of this process, kept in memory when no collector receives them (embedded
 * mode): the development page reads them. Oldest traces are dropped first.
 */
export class RecentTraces implements SpanProcessor {
  private readonly traces = new Map<string, RecordedTrace>();

  constructor(
    private readonly limit: number,
    private readonly defaultService: string,
  ) {}

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    const { traceId, spanId } = span.spanContext();
    let recorded = this.traces.get(traceId);
    if (!recorded) {
      recorded = { traceId, startedAt: hrTimeToMs(span.startTime), spans: [] };
      this.traces.set(traceId, recorded);
      for (const oldest of this.traces.keys()) {
        if (this.traces.size <= this.limit) break;
        this.traces.delete(oldest);
      }
    }
    if (recorded.spans.length >= MAX_SPANS_PER_TRACE) return;
    const startedAt = hrTimeToMs(span.startTime);
    recorded.startedAt = Math.min(recorded.startedAt, startedAt);
    recorded.spans.push({
      traceId,
      spanId,
      parentSpanId: span.parentSpanContext?.spanId ?? null,
      name: span.name,
      kind: SpanKind[span.kind],
      service: String(span.attributes[SERVICE_ATTRIBUTE] ?? this.defaultService),
      startedAt,
      durationMs: hrTimeToMs(span.duration),
      error: span.status.code === SpanStatusCode.ERROR ? (span.status.message ?? 'error') : null,
      attributes: { ...span.attributes },
      links: span.links.map((link) => ({
        traceId: link.context.traceId,
        spanId: link.context.spanId,
      })),
    });
  }

  /** Newest first. */
  list(): RecordedTrace[] {
    return [...this.traces.values()].reverse();
  }

  get(traceId: string): RecordedTrace | null {
    return this.traces.get(traceId) ?? null;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.traces.clear();
    return Promise.resolve();
  }
}
