export { loadConfig, type GatewayConfig } from './config.ts';
export { createGateway, type Gateway } from './server.ts';
export { buildApiSchema } from './subscriptions/subscription-planner.ts';
