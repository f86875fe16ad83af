import { TokenVerifier } from '@sky/auth';
import { openSubgraphDatabase } from '@sky/database';
import { createLogger, type Logger } from '@sky/logging';
import {
  buildProtectedSubgraphSchema,
  createGraphQLService,
  readSubgraphSchema,
} from '@sky/server-kit';
import { PrismaClient } from './__generated__/prisma/client.ts';
import type { OrderSubgraphConfig } from './config.ts';
import type { OrderContext } from './context.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import { createOrderStores } from './stores/index.ts';

/** Builds the order subgraph (database migrated, schema protected) without listening. */
export async function createOrderSubgraph(config: OrderSubgraphConfig, logger?: Logger) {
  const log = logger ?? createLogger('order', config.logLevel);
  const database = await openSubgraphDatabase('order', config.database, log);
  const prisma = new PrismaClient({
    adapter: database.adapter,
    log: [{ emit: 'event', level: 'query' }],
  });
  const verifier = new TokenVerifier(config.jwt.publicKeyPem, config.jwt);
  const service = await createGraphQLService<OrderContext>({
    name: 'order',
    logger: log,
    verifier,
    bodyLimitBytes: config.bodyLimitBytes,
    production: config.production,
    schema: buildProtectedSubgraphSchema({
      typeDefs: readSubgraphSchema('order'),
      resolvers,
      permissions,
    }),
    createContext: (state) => ({ ...state, stores: createOrderStores(prisma) }),
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

export type OrderSubgraph = Awaited<ReturnType<typeof createOrderSubgraph>>;
