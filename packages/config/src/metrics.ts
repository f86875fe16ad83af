import { z } from 'zod';
import { booleanFlag, positiveInt } from './env.ts';

/**
 * Prometheus metrics settings every service reads. `/metrics` is served on the service's own
 * port beside `/graphql`: the ingress and compose publish only the gateway's `/graphql`, and a
 * token (when set) keeps even a reachable port's numbers to Prometheus.
 */
export const metricsEnv = {
  /** Off: no `/metrics`, no GraphQL plugin, no in-flight counting (benchmarks of the cost). */
  METRICS_ENABLED: booleanFlag(true),
  /** When set (not empty), a scrape needs `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z
    .union([z.literal(''), z.string().min(16, 'METRICS_TOKEN needs at least 16 characters')])
    .optional(),
  /** Distinct operation names kept as label values before new ones fold into `(other)`. */
  METRICS_MAX_OPERATION_NAMES: positiveInt(200),
};

export interface MetricsSettings {
  enabled: boolean;
  token: string | null;
  maxOperationNames: number;
}

export function readMetricsSettings(parsed: {
  METRICS_ENABLED: boolean;
  METRICS_TOKEN?: string | undefined;
  METRICS_MAX_OPERATION_NAMES: number;
}): MetricsSettings {
  return {
    enabled: parsed.METRICS_ENABLED,
    token: parsed.METRICS_TOKEN || null,
    maxOperationNames: parsed.METRICS_MAX_OPERATION_NAMES,
  };
}
