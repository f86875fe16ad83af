// Telemetry shared by every service: Prometheus metrics, OpenTelemetry tracing, circuit breakers.
export * from './metrics.ts';
export * from './operation-names.ts';
export * from './context.ts';
export * from './recent-traces.ts';
export * from './tracing.ts';
