import type { Logger } from '@sky/logging';
import { createSubgraph } from '@sky/server-kit';
import { PrismaClient } from './__generated__/prisma/client.ts';
import type { OrderSubgraphConfig } from './config.ts';
import type { OrderContext } from './context.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import { createOrderStores } from './stores/index.ts';

/** Builds the order subgraph (database migrated, schema protected) without listening. */
export function createOrderSubgraph(config: OrderSubgraphConfig, logger?: Logger) {
  return createSubgraph<PrismaClient, OrderContext>({
    config,
    logger,
    createPrisma: (adapter) =>
      new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] }),
    resolvers,
    permissions,
    createContext: (state, prisma) => ({ ...state, stores: createOrderStores(prisma) }),
  });
}

export type OrderSubgraph = Awaited<ReturnType<typeof createOrderSubgraph>>;
