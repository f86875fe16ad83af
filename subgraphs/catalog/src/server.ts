import type { Logger } from '@sky/logging';
import { createSubgraph } from '@sky/server-kit';
import type { CatalogSubgraphConfig } from './config.ts';
import type { CatalogContext } from './context.ts';
import { catalogEventHandlers } from './events/handlers.ts';
import { catalogInternalApi } from './routes/internal-api.ts';
import { CatalogManagement } from './services/management.ts';
import { hiddenMenuAccess, permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import {
  createCatalogPrisma,
  createCatalogStores,
  type CatalogPrisma,
  type CatalogTx,
} from './stores/index.ts';

/**
 * Builds the catalog subgraph (database migrated, schema protected) without listening: the public
 * GraphQL API, the internal endpoints the order subgraph calls (quote-item, quote-order,
 * reserve-stock) and the consumer of `order.cancelled` (stock release). It produces no events,
 * so it runs no outbox relay.
 */
export function createCatalogSubgraph(config: CatalogSubgraphConfig, logger?: Logger) {
  return createSubgraph<CatalogPrisma, CatalogTx, CatalogContext>({
    config,
    logger,
    createPrisma: createCatalogPrisma,
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
