import { TokenVerifier } from '@sky/auth';
import { openSubgraphDatabase } from '@sky/database';
import { createLogger, type Logger } from '@sky/logging';
import {
  buildProtectedSubgraphSchema,
  createGraphQLService,
  readSubgraphSchema,
} from '@sky/server-kit';
import { PrismaClient } from './__generated__/prisma/client.ts';
import type { DeliverySubgraphConfig } from './config.ts';
import type { DeliveryContext } from './context.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import { createDeliveryStores } from './stores/index.ts';

/** Builds the delivery subgraph (database migrated, schema protected) without listening. */
export async function createDeliverySubgraph(config: DeliverySubgraphConfig, logger?: Logger) {
  const log = logger ?? createLogger('delivery', config.logLevel);
  const database = await openSubgraphDatabase('delivery', config.database, log);
  const prisma = new PrismaClient({
    adapter: database.adapter,
    log: [{ emit: 'event', level: 'query' }],
  });
  const verifier = new TokenVerifier(config.jwt.publicKeyPem, config.jwt);
  const service = await createGraphQLService<DeliveryContext>({
    name: 'delivery',
    logger: log,
    verifier,
    bodyLimitBytes: config.bodyLimitBytes,
    production: config.production,
    schema: buildProtectedSubgraphSchema({
      typeDefs: readSubgraphSchema('delivery'),
      resolvers,
      permissions,
    }),
    createContext: (state) => ({ ...state, stores: createDeliveryStores(prisma) }),
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

export type DeliverySubgraph = Awaited<ReturnType<typeof createDeliverySubgraph>>;
