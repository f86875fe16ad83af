import type { Logger } from '@sky/logging';
import { createSubgraph } from '@sky/server-kit';
import { PrismaClient } from './__generated__/prisma/client.ts';
import type { CatalogSubgraphConfig } from './config.ts';
import type { CatalogContext } from './context.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import { createCatalogStores } from './stores/index.ts';
import { hiddenMenuAccess } from './visibility.ts';

/** Builds the catalog subgraph (database migrated, schema protected) without listening. */
export function createCatalogSubgraph(config: CatalogSubgraphConfig, logger?: Logger) {
  return createSubgraph<PrismaClient, CatalogContext>({
    config,
    logger,
    createPrisma: (adapter) =>
      new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] }),
    resolvers,
    permissions,
    createContext: (state, prisma) => ({
      ...state,
      stores: createCatalogStores(prisma, hiddenMenuAccess(state.viewer)),
      now: new Date(),
    }),
  });
}

export type CatalogSubgraph = Awaited<ReturnType<typeof createCatalogSubgraph>>;
