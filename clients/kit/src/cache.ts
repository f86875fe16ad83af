import { InMemoryCache, type FieldFunctionOptions } from '@apollo/client';

/**
 * Live events of an order or a delivery carry a `version` that strictly increases per entity.
 * The server already drops stale and duplicate events; merging by version here as well keeps a
 * late query answer (say, a list fetched before the last event) from moving the cache backwards.
 */
function keepNewestVersion(
  existing: unknown,
  incoming: unknown,
  { readField, mergeObjects }: FieldFunctionOptions,
) {
  const before = readField<number>('version', existing as never);
  const after = readField<number>('version', incoming as never);
  if (typeof before === 'number' && typeof after === 'number' && after < before) return existing;
  return mergeObjects(existing as never, incoming as never);
}

/** The cache the kit's client uses: normalized by id, versioned live entities. */
export function createSkyCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      Order: { merge: keepNewestVersion },
      Delivery: { merge: keepNewestVersion },
      // Money, GeoPoint and the order's address are values, not entities: replace them whole.
      Money: { merge: false },
      GeoPoint: { merge: false },
      OrderAddress: { merge: false },
    },
  });
}
