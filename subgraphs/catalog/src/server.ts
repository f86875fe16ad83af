import type { Logger } from '@sky/logging';
import { createSubgraph } from '@sky/server-kit';
import { PrismaClient, type Prisma } from './__generated__/prisma/client.ts';
import type { CatalogSubgraphConfig } from './config.ts';
import type { CatalogContext } from './context.ts';
import { catalogEventHandlers } from './events.ts';
import { catalogInternalApi } from './internal-api.ts';
import { CatalogManagement } from './management.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import { createCatalogStores } from './stores/index.ts';
import { hiddenMenuAccess } from './visibility.ts';

/**
 * Builds the catalog subgraph (database migrated, schema protected) without listening: the public
 * GraphQL API, the internal endpoints the order subgraph calls (quote-item, quote-order,
 * reserve-stock) and the consumer of `order.cancelled` (stock release). It produces no events,
 * so it runs no outbox relay.
 */
export function createCatalogSubgraph(config: CatalogSubgraphConfig, logger?: Logger) {
  return createSubgraph<PrismaClient, Prisma.TransactionClient, CatalogContext>({
    config,
    logger,
    createPrisma: (adapter) =>
      new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] }),
    resolvers,
    permissions,
    createContext: (state, { prisma }) => {
      const stores = createCatalogStores(prisma, hiddenMenuAccess(state.viewer));
      const now = new Date();
      return {
        ...state,
        stores,
        now,
        management: new CatalogManagement(stores, state.viewer, now),
      };
    },
    internalApi: ({ prisma }) => catalogInternalApi(prisma),
    events: () => catalogEventHandlers,
  });
}

export type CatalogSubgraph = Awaited<ReturnType<typeof createCatalogSubgraph>>;
