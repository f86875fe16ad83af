import { RefundReportStore } from './report-store.ts';
import type { Database } from '@sky/database';
import { PrismaClient } from '../__generated__/prisma/client.ts';
import { PaymentStore } from './payment-store.ts';
import { RefundStore } from './refund-store.ts';

/** The only code that touches the payment database. A new set is made per request (DataLoaders). */
export interface PaymentStores {
  payments: PaymentStore;
  refunds: RefundStore;
  /** Report aggregates. */
  reports: RefundReportStore;
}

export function createPaymentStores(prisma: PaymentPrisma): PaymentStores {
  return {
    payments: new PaymentStore(prisma),
    refunds: new RefundStore(prisma),
    reports: new RefundReportStore(prisma),
  };
}

/** The payment database's generated client. */
export type PaymentPrisma = PrismaClient;

/** Builds the client over the subgraph's driver adapter (PostgreSQL or PGlite). */
export const createPaymentPrisma = (adapter: Database['adapter']): PaymentPrisma =>
  new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });

export {
  LedgerTransaction,
  PaymentLedger,
  type CallbackPayload,
  type Tx as PaymentTx,
} from './ledger.ts';

/** The rows and enums other layers pass around (resolvers' parents, services' inputs). */
export type {
  OrderSnapshot,
  Payment,
  PaymentMethod,
  Refund,
} from '../__generated__/prisma/client.ts';
