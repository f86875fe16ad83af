export * from './http-app.ts';
export * from './apollo-plugins.ts';
export * from './subgraph-schema.ts';
export * from './subgraph-server.ts';
export * from './connections.ts';
export * from './scalars.ts';
export * from './schema-files.ts';
export * from './subgraph.ts';
