export { loadConfig, type OrderSubgraphConfig } from './config.ts';
export { createOrderSubgraph, type OrderSubgraph } from './server.ts';
export { seedOrderDemoData } from './stores/demo-data.ts';
export { rules as permissionRules } from './permissions.ts';
