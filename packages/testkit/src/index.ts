export * from './databases.ts';
export * from './graphql-client.ts';
export * from './redis-server.ts';
export { testSettings } from './settings.ts';
export * from './test-env.ts';
export * from './live-channel.ts';
export * from './test-subgraph.ts';
