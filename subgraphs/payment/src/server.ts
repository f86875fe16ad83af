import { TokenVerifier } from '@sky/auth';
import { openSubgraphDatabase } from '@sky/database';
import { createLogger, type Logger } from '@sky/logging';
import {
  buildProtectedSubgraphSchema,
  createGraphQLService,
  readSubgraphSchema,
} from '@sky/server-kit';
import { PrismaClient } from './__generated__/prisma/client.ts';
import type { PaymentSubgraphConfig } from './config.ts';
import type { PaymentContext } from './context.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import { createPaymentStores } from './stores/index.ts';

/** Builds the payment subgraph (database migrated, schema protected) without listening. */
export async function createPaymentSubgraph(config: PaymentSubgraphConfig, logger?: Logger) {
  const log = logger ?? createLogger('payment', config.logLevel);
  const database = await openSubgraphDatabase('payment', config.database, log);
  const prisma = new PrismaClient({
    adapter: database.adapter,
    log: [{ emit: 'event', level: 'query' }],
  });
  const verifier = new TokenVerifier(config.jwt.publicKeyPem, config.jwt);
  const service = await createGraphQLService<PaymentContext>({
    name: 'payment',
    logger: log,
    verifier,
    bodyLimitBytes: config.bodyLimitBytes,
    production: config.production,
    schema: buildProtectedSubgraphSchema({
      typeDefs: readSubgraphSchema('payment'),
      resolvers,
      permissions,
    }),
    createContext: (state) => ({ ...state, stores: createPaymentStores(prisma) }),
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

export type PaymentSubgraph = Awaited<ReturnType<typeof createPaymentSubgraph>>;
