import { z } from 'zod';
import { booleanFlag } from './env.ts';

/**
 * Tracing settings, read from the standard OpenTelemetry variables so that operators who know
 * them need nothing new. They are parsed here like every other setting (validated, all problems
 * reported at once); @sky/telemetry only receives the result.
 */
export interface TracingSettings {
  /** False with `OTEL_SDK_DISABLED=true`: no SDK, no spans, no trace ids in logs. */
  enabled: boolean;
  /** `service.name` of this process's spans (one process may serve several services embedded). */
  serviceName: string;
  /** Share of new traces recorded; a request arriving with a sampled parent is always recorded. */
  sampleRatio: number;
  /** OTLP/HTTP collector (`http://jaeger:4318`); null keeps recent traces in memory instead. */
  otlpEndpoint: string | null;
  /** Recent traces kept in memory for the development page when nothing exports them. */
  recentTraceLimit: number;
}

const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

export const tracingEnv = {
  OTEL_SDK_DISABLED: booleanFlag(false),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  OTEL_TRACES_SAMPLER: z.enum(SAMPLERS).default('parentbased_always_on'),
  /** The ratio of the `*traceidratio` samplers, 0 to 1. */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  TRACES_KEPT_IN_MEMORY: z.coerce.number().int().min(0).max(10_000).default(200),
};

type TracingEnv = z.infer<z.ZodObject<typeof tracingEnv>>;

/**
 * The sampler names map onto one parent-based ratio sampler: `always_on` is ratio 1,
 * `always_off` ratio 0. Every sampler here honours the caller's decision (parent-based), so a
 * trace is never cut in half between services; the non-parent-based names are accepted as
 * their parent-based equivalents for that reason.
 */
export function readTracingSettings(
  parsed: TracingEnv,
  defaultServiceName: string,
): TracingSettings {
  const sampler = parsed.OTEL_TRACES_SAMPLER;
  const sampleRatio = sampler.endsWith('always_on')
    ? 1
    : sampler.endsWith('always_off')
      ? 0
      : (parsed.OTEL_TRACES_SAMPLER_ARG ?? 1);
  return {
    enabled: !parsed.OTEL_SDK_DISABLED,
    serviceName: parsed.OTEL_SERVICE_NAME ?? defaultServiceName,
    sampleRatio,
    otlpEndpoint: parsed.OTEL_EXPORTER_OTLP_ENDPOINT ?? null,
    recentTraceLimit: parsed.TRACES_KEPT_IN_MEMORY,
  };
}
