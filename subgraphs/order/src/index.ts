export { loadConfig, type OrderSubgraphConfig } from './config.ts';
export { createOrderSubgraph, type OrderSubgraph } from './server.ts';
export { seedOrderDemoData } from './seed.ts';
export { rules as permissionRules } from './permissions.ts';
