export * from './roles.ts';
export * from './tokens.ts';
export * from './keys.ts';
export * from './rules.ts';
