// Telemetry shared by every service: Prometheus metrics, OpenTelemetry tracing, circuit breakers.
export {};
