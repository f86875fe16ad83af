import { loadSubgraphConfig, type Env } from '@sky/config';

export type CatalogSubgraphConfig = ReturnType<typeof loadConfig>;

/** The catalog subgraph needs only the settings every subgraph shares. */
export function loadConfig(env: Env) {
  return loadSubgraphConfig('catalog', 4002, env);
}
