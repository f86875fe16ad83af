import type { Money } from '../__generated__/resolvers-types.ts';

/** Money on the API: minor units and the merchant's ISO 4217 currency. */
export const money = (amount: number, currency: string): Money => ({ amount, currency });
