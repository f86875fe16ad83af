export { loadConfig, type CatalogSubgraphConfig } from './config.ts';
export { createCatalogSubgraph, type CatalogSubgraph } from './server.ts';
export { seedCatalogDemoData } from './seed.ts';
export { rules as permissionRules } from './permissions.ts';
