import { TokenSigner, TokenVerifier } from '@sky/auth';
import { openSubgraphDatabase } from '@sky/database';
import { createLogger, type Logger } from '@sky/logging';
import {
  buildProtectedSubgraphSchema,
  createGraphQLService,
  readSubgraphSchema,
} from '@sky/server-kit';
import { PrismaClient } from './__generated__/prisma/client.ts';
import { AuthService } from './auth-service.ts';
import type { UserSubgraphConfig } from './config.ts';
import type { UserContext } from './context.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import { createUserStores } from './stores/index.ts';

/** Builds the user subgraph (database migrated, schema protected) without listening. */
export async function createUserSubgraph(config: UserSubgraphConfig, logger?: Logger) {
  const log = logger ?? createLogger('user', config.logLevel);
  const database = await openSubgraphDatabase('user', config.database, log);
  const prisma = new PrismaClient({
    adapter: database.adapter,
    log: [{ emit: 'event', level: 'query' }],
  });
  const verifier = new TokenVerifier(config.jwt.publicKeyPem, config.jwt);
  const signer = new TokenSigner(config.jwtPrivateKeyPem, {
    ...config.jwt,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
  });
  const service = await createGraphQLService<UserContext>({
    name: 'user',
    logger: log,
    verifier,
    bodyLimitBytes: config.bodyLimitBytes,
    production: config.production,
    schema: buildProtectedSubgraphSchema({
      typeDefs: readSubgraphSchema('user'),
      resolvers,
      permissions,
    }),
    createContext: (state) => {
      const stores = createUserStores(prisma);
      return { ...state, stores, auth: new AuthService(stores, signer, config.auth) };
    },
    checkReadiness: async () => {
      await prisma.$queryRaw`SELECT 1`;
    },
  });
  return {
    ...service,
    prisma,
    database,
    authSettings: config.auth,
    close: async () => {
      await service.stop();
      await prisma.$disconnect();
      await database.close();
    },
  };
}

export type UserSubgraph = Awaited<ReturnType<typeof createUserSubgraph>>;
