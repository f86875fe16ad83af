export * from './connection.ts';
export * from './migrations.ts';
export * from './schema-engine.ts';
export * from './subgraph-database.ts';
export * from './loaders.ts';
export * from './keyset.ts';
export * from './provision.ts';
