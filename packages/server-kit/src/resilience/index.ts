export * from './deadline.ts';
export * from './circuit-breakers.ts';
export * from './remote-calls.ts';
export * from './database-outage.ts';
