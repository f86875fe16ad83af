import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { DestinationStream, LevelWithSilent, Logger };

/** Secrets by field name, wherever they sit in a log object (up to two levels deep). */
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'password',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'webhookSecret',
  'privateKeyPem',
];

/**
 * What pino blanks out before a line is written: a log line must never carry a credential, even
 * when a future call logs a whole request, headers, variables or connection parameters.
 */
export const REDACTED_PATHS = SECRET_FIELDS.flatMap((field) => [
  field,
  `*.${field}`,
  `*.*.${field}`,
]);

/**
 * The trace and span a line was written in (the active OpenTelemetry span), so a line leads to
 * its trace and a trace to its lines. Nothing outside a span; the request id stays either way.
 */
function activeTrace(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan()?.spanContext();
  return span && isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {};
}

/**
 * JSON logs, one line per event; `service` names the emitter, `requestId` is added per request,
 * `trace_id` and `span_id` on every line written within a span.
 * `destination` defaults to stdout (tests pass a stream to read the lines back).
 */
export function createLogger(
  service: string,
  level: LevelWithSilent = 'info',
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      level,
      base: { service },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: activeTrace,
    },
    destination,
  );
}
