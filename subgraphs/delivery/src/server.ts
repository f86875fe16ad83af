import type { Logger } from '@sky/logging';
import { createSubgraph } from '@sky/server-kit';
import { PrismaClient } from './__generated__/prisma/client.ts';
import type { DeliverySubgraphConfig } from './config.ts';
import type { DeliveryContext } from './context.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import { createDeliveryStores } from './stores/index.ts';

/** Builds the delivery subgraph (database migrated, schema protected) without listening. */
export function createDeliverySubgraph(config: DeliverySubgraphConfig, logger?: Logger) {
  return createSubgraph<PrismaClient, DeliveryContext>({
    config,
    logger,
    createPrisma: (adapter) =>
      new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] }),
    resolvers,
    permissions,
    createContext: (state, prisma) => ({ ...state, stores: createDeliveryStores(prisma) }),
  });
}

export type DeliverySubgraph = Awaited<ReturnType<typeof createDeliverySubgraph>>;
