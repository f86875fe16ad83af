import { loadSubgraphConfig, type Env } from '@sky/config';

export type DeliverySubgraphConfig = ReturnType<typeof loadConfig>;

/** The delivery subgraph needs only the settings every subgraph shares (port 4005). */
export function loadConfig(env: Env) {
  return loadSubgraphConfig('delivery', 4005, env);
}
