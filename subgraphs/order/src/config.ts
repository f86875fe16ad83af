import { loadSubgraphConfig, type Env } from '@sky/config';

export type OrderSubgraphConfig = ReturnType<typeof loadConfig>;

/** The order subgraph needs only the settings every subgraph shares (it verifies tokens, never signs them). */
export function loadConfig(env: Env) {
  return loadSubgraphConfig('order', 4003, env);
}
