import { loadSubgraphConfig, parseEnv, positiveInt, z, type Env } from '@sky/config';

export type DeliverySubgraphConfig = ReturnType<typeof loadConfig>;

/** The dispatch and tracking settings (`config.dispatch`). */
export interface DispatchSettings {
  /** A rider farther than this from the merchant (great-circle) is not offered the delivery. */
  radiusMeters: number;
  /** An offer not accepted within this time lapses and counts as a decline. */
  offerTimeoutSeconds: number;
  /** While no rider is available, dispatch tries again this often. */
  retrySeconds: number;
  /** A rider's location updates are accepted at most once per this interval. */
  locationMinIntervalMs: number;
  /** Average rider speed the ETA assumes. */
  riderSpeedMetersPerSecond: number;
  /** A delivery picked up but not marked delivered within this time is completed by the system. */
  autoCompleteSeconds: number;
}

/**
 * The settings every subgraph shares (port 4005) plus dispatch and live tracking. Riders'
 * location updates are rate-limited in the database, so the limit holds across instances.
 */
export function loadConfig(env: Env) {
  const base = loadSubgraphConfig('delivery', 4005, env);
  const own = parseEnv(
    {
      DISPATCH_RADIUS_METERS: positiveInt(5000),
      OFFER_TIMEOUT_SECONDS: positiveInt(30),
      DISPATCH_RETRY_SECONDS: positiveInt(15),
      LOCATION_MIN_INTERVAL_MS: z.coerce.number().int().min(0).default(1000),
      RIDER_SPEED_METERS_PER_SECOND: z.coerce.number().positive().max(100).default(4),
      DELIVERY_AUTO_COMPLETE_SECONDS: positiveInt(3600),
    },
    env,
  );
  const dispatch: DispatchSettings = {
    radiusMeters: own.DISPATCH_RADIUS_METERS,
    offerTimeoutSeconds: own.OFFER_TIMEOUT_SECONDS,
    retrySeconds: own.DISPATCH_RETRY_SECONDS,
    locationMinIntervalMs: own.LOCATION_MIN_INTERVAL_MS,
    riderSpeedMetersPerSecond: own.RIDER_SPEED_METERS_PER_SECOND,
    autoCompleteSeconds: own.DELIVERY_AUTO_COMPLETE_SECONDS,
  };
  return { ...base, dispatch };
}
