export { loadConfig, type PaymentSubgraphConfig } from './config.ts';
export { createPaymentSubgraph, type PaymentSubgraph } from './server.ts';
export { seedPaymentDemoData } from './seed.ts';
export { rules as permissionRules } from './permissions.ts';
