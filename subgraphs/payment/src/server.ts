import type { Logger } from '@sky/logging';
import { createSubgraph } from '@sky/server-kit';
import { PrismaClient } from './__generated__/prisma/client.ts';
import type { PaymentSubgraphConfig } from './config.ts';
import type { PaymentContext } from './context.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import { createPaymentStores } from './stores/index.ts';

/** Builds the payment subgraph (database migrated, schema protected) without listening. */
export function createPaymentSubgraph(config: PaymentSubgraphConfig, logger?: Logger) {
  return createSubgraph<PrismaClient, PaymentContext>({
    config,
    logger,
    createPrisma: (adapter) =>
      new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] }),
    resolvers,
    permissions,
    createContext: (state, prisma) => ({ ...state, stores: createPaymentStores(prisma) }),
  });
}

export type PaymentSubgraph = Awaited<ReturnType<typeof createPaymentSubgraph>>;
