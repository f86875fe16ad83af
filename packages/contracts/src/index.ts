export * from './common.ts';
export * from './internal-endpoints.ts';
export * from './events.ts';
export * from './payment-provider.ts';
