export * from './env.ts';
export * from './service.ts';
export * from './limits.ts';
export * from './metrics.ts';
export * from './resilience.ts';
export * from './tracing.ts';
