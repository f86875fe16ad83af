export { loadConfig, type UserSubgraphConfig } from './config.ts';
export { createUserSubgraph, type UserSubgraph } from './server.ts';
export { seedUserDemoData } from './stores/demo-data.ts';
export { rules as permissionRules } from './permissions.ts';
