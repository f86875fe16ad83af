import { TokenVerifier } from '@sky/auth';
import { openSubgraphDatabase } from '@sky/database';
import { createLogger, type Logger } from '@sky/logging';
import {
  buildProtectedSubgraphSchema,
  createGraphQLService,
  readSubgraphSchema,
} from '@sky/server-kit';
import { PrismaClient } from './__generated__/prisma/client.ts';
import type { CatalogSubgraphConfig } from './config.ts';
import type { CatalogContext } from './context.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import { createCatalogStores } from './stores/index.ts';
import { hiddenMenuAccess } from './visibility.ts';

/** Builds the catalog subgraph (database migrated, schema protected) without listening. */
export async function createCatalogSubgraph(config: CatalogSubgraphConfig, logger?: Logger) {
  const log = logger ?? createLogger('catalog', config.logLevel);
  const database = await openSubgraphDatabase('catalog', config.database, log);
  const prisma = new PrismaClient({
    adapter: database.adapter,
    log: [{ emit: 'event', level: 'query' }],
  });
  const verifier = new TokenVerifier(config.jwt.publicKeyPem, config.jwt);
  const service = await createGraphQLService<CatalogContext>({
    name: 'catalog',
    logger: log,
    verifier,
    bodyLimitBytes: config.bodyLimitBytes,
    production: config.production,
    schema: buildProtectedSubgraphSchema({
      typeDefs: readSubgraphSchema('catalog'),
      resolvers,
      permissions,
    }),
    createContext: (state) => ({
      ...state,
      stores: createCatalogStores(prisma, hiddenMenuAccess(state.viewer)),
      now: new Date(),
    }),
    checkReadiness: async () => {
      await prisma.$queryRaw`SELECT 1`;
    },
  });
  return {
    ...service,
    prisma,
    database,
    close: async () => {
      await service.stop();
      await prisma.$disconnect();
      await database.close();
    },
  };
}

export type CatalogSubgraph = Awaited<ReturnType<typeof createCatalogSubgraph>>;
