export { loadConfig, type CatalogSubgraphConfig } from './config.ts';
export { createCatalogSubgraph, type CatalogSubgraph } from './server.ts';
export { seedCatalogDemoData } from './stores/demo-data.ts';
export { rules as permissionRules } from './permissions.ts';
