import { loadSubgraphConfig, type Env } from '@sky/config';

export type PaymentSubgraphConfig = ReturnType<typeof loadConfig>;

/** The payment subgraph needs only the common subgraph settings for now (port 4004). */
export function loadConfig(env: Env) {
  return loadSubgraphConfig('payment', 4004, env);
}
