import type { PrismaClient } from '../__generated__/prisma/client.ts';
import { DeliveryStore } from './delivery-store.ts';
import { LocationPointStore } from './location-store.ts';
import { OfferStore } from './offer-store.ts';
import { RiderStore } from './rider-store.ts';

/** The only code that touches the delivery database. A new set is made per request (DataLoaders). */
export interface DeliveryStores {
  riders: RiderStore;
  deliveries: DeliveryStore;
  offers: OfferStore;
  locationPoints: LocationPointStore;
}

export function createDeliveryStores(prisma: PrismaClient): DeliveryStores {
  return {
    riders: new RiderStore(prisma),
    deliveries: new DeliveryStore(prisma),
    offers: new OfferStore(prisma),
    locationPoints: new LocationPointStore(prisma),
  };
}
