export { loadConfig, type DeliverySubgraphConfig } from './config.ts';
export { createDeliverySubgraph, type DeliverySubgraph } from './server.ts';
export { seedDeliveryDemoData } from './stores/demo-data.ts';
export { rules as permissionRules } from './permissions.ts';
