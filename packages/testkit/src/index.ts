export * from './databases.ts';
export * from './graphql-client.ts';
