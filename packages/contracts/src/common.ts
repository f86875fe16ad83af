import { z } from 'zod';

/**
 * Value types several contracts share. They describe data as it crosses a process boundary
 * (JSON): instants are ISO-8601 strings, amounts integer minor units.
 */

export const SUBGRAPH_NAMES = ['user', 'catalog', 'order', 'payment', 'delivery'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Any UUID, whatever its version bits (the demo dataset's ids are derived, not random), which is
 * what PostgreSQL's `uuid` type accepts.
 */
export const uuid = z.string().regex(UUID_PATTERN, 'must be a UUID');

/** Ids that are not UUIDs cannot exist; filtering them keeps PostgreSQL from rejecting a batch. */
export const isUuid = (value: string): boolean => UUID_PATTERN.test(value);

/** An instant as `Date.prototype.toISOString()` writes it (or with an explicit offset). */
export const isoDateTime = z.iso.datetime({ offset: true });

/** `Money` between services: an integer amount in minor units and its ISO 4217 code. */
export const money = z.object({
  amount: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  currency: z.string().length(3),
});
export type Money = z.infer<typeof money>;

/** `Money` as the API and the contracts write it, from a stored amount and currency. */
export const toMoney = (amount: number, currency: string): Money => ({ amount, currency });

/** A point on the earth (degrees). */
export const geoPoint = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
});
export type GeoPoint = z.infer<typeof geoPoint>;

/** The order lifecycle's statuses (docs/architecture.md, section 5). */
export const orderStatus = z.enum([
  'PENDING_PAYMENT',
  'TO_BE_CONFIRMED',
  'CONFIRMED',
  'DELIVERY_IN_PROGRESS',
  'COMPLETED',
  'CANCELLED',
]);
export const payStatus = z.enum(['UNPAID', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED']);
/** Who made an order's status change. */
export const orderActor = z.enum(['CUSTOMER', 'MERCHANT', 'RIDER', 'ADMIN', 'SYSTEM']);

/** The longest prep time a merchant may give (minutes): a merchant's default and per order. */
export const MAX_PREP_MINUTES = 180;
/** A kitchen's prep time in whole minutes, 1..MAX_PREP_MINUTES. */
export const prepMinutes = z.number().int().min(1).max(MAX_PREP_MINUTES);
