export * from './routes.ts';
export * from './outbox.ts';
export * from './jobs.ts';
export * from './transport.ts';
export * from './workers.ts';
export * from './live-pubsub.ts';
export * from './versioned-stream.ts';
