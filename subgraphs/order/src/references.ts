import type { ResolversTypes } from './__generated__/resolvers-types.ts';

/**
 * References to entities other subgraphs own: federation resolves the rest from the id. This
 * subgraph adds `orders` to User and Merchant, so the generated types (without a mapper for them)
 * expect that field on every User and Merchant value; it is resolved by `User.orders` and
 * `Merchant.orders`, never read from the value, hence the assertion.
 */
export const userReference = (id: string) => ({ id }) as ResolversTypes['User'];
export const merchantReference = (id: string) => ({ id }) as ResolversTypes['Merchant'];
