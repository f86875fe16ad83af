import { DeliveryReportStore } from './report-store.ts';
import type { Database } from '@sky/database';
import { PrismaClient } from '../__generated__/prisma/client.ts';
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
  /** Report aggregates. */
  reports: DeliveryReportStore;
}

export function createDeliveryStores(prisma: DeliveryPrisma): DeliveryStores {
  return {
    riders: new RiderStore(prisma),
    deliveries: new DeliveryStore(prisma),
    offers: new OfferStore(prisma),
    locationPoints: new LocationPointStore(prisma),
    reports: new DeliveryReportStore(prisma),
  };
}

/** The delivery database's generated client. */
export type DeliveryPrisma = PrismaClient;

/** Builds the client over the subgraph's driver adapter (PostgreSQL or PGlite). */
export const createDeliveryPrisma = (adapter: Database['adapter']): DeliveryPrisma =>
  new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });

export {
  transactionRunner,
  type DeliveryTx,
  type LiveAnnouncer,
  type TxStores,
} from './tx-stores.ts';

/** The rows and enums other layers pass around (resolvers' parents, services' inputs). */
export type {
  Delivery,
  DeliveryOffer,
  DeliveryStatus,
  LocationPoint,
  Rider,
} from '../__generated__/prisma/client.ts';
