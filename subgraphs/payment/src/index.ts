export { loadConfig, type PaymentSubgraphConfig } from './config.ts';
export { createPaymentSubgraph, type PaymentSubgraph } from './server.ts';
export { seedPaymentDemoData } from './stores/demo-data.ts';
export { rules as permissionRules } from './permissions.ts';
