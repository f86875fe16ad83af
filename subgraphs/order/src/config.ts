import { loadSubgraphConfig, parseEnv, positiveInt, z, type Env } from '@sky/config';
import { MAX_PREP_MINUTES } from '@sky/contracts';

export type OrderSubgraphConfig = ReturnType<typeof loadConfig>;

/**
 * The settings every subgraph shares (it verifies tokens, never signs them), plus the order
 * lifecycle's timers. The catalog and user subgraphs it calls are found through
 * `SUBGRAPH_CATALOG_URL` / `SUBGRAPH_USER_URL` (`config.internal.subgraphUrls`).
 */
export function loadConfig(env: Env) {
  const base = loadSubgraphConfig('order', 4003, env);
  const own = parseEnv(
    {
      /** An unpaid order is cancelled by the system this long after it was placed. */
      PAYMENT_TIMEOUT_SECONDS: positiveInt(900),
      /** A customer may remind the merchant of one order at most once per this interval. */
      ORDER_REMINDER_INTERVAL_SECONDS: positiveInt(300),
      /**
       * A placement that claimed its idempotency key but did not create its order within this
       * time (process died mid-way) is abandoned: the claim is dropped and any stock reserved for
       * it released. Must exceed the longest placement (three internal calls with their timeouts).
       */
      PLACEMENT_LEASE_SECONDS: positiveInt(120),
      /**
       * A paid order the merchant has neither accepted nor rejected this long after payment is
       * rejected by the system (and refunded).
       */
      ACCEPT_TIMEOUT_SECONDS: positiveInt(600),
      /** Prep time for an order that carries no merchant default (placed before defaults existed). */
      DEFAULT_PREP_MINUTES: z.coerce.number().int().min(1).max(MAX_PREP_MINUTES).default(15),
      /** Average rider speed the customer's ETA assumes (the delivery subgraph's dispatch uses its own). */
      ETA_RIDER_SPEED_METERS_PER_SECOND: z.coerce.number().positive().max(100).default(4),
      /** A customer may ask for an after-sale refund until this long after the order completed. */
      AFTER_SALE_WINDOW_SECONDS: positiveInt(172_800),
    },
    env,
  );
  return {
    ...base,
    ordering: {
      paymentTimeoutSeconds: own.PAYMENT_TIMEOUT_SECONDS,
      reminderIntervalSeconds: own.ORDER_REMINDER_INTERVAL_SECONDS,
      placementLeaseSeconds: own.PLACEMENT_LEASE_SECONDS,
      acceptTimeoutSeconds: own.ACCEPT_TIMEOUT_SECONDS,
      afterSaleWindowSeconds: own.AFTER_SALE_WINDOW_SECONDS,
    },
    kitchen: {
      defaultPrepMinutes: own.DEFAULT_PREP_MINUTES,
      riderSpeedMetersPerSecond: own.ETA_RIDER_SPEED_METERS_PER_SECOND,
    },
  };
}
