import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { TokenVerifier } from '@sky/auth';
import type { SubgraphConfig } from '@sky/config';
import { openSubgraphDatabase, type Database } from '@sky/database';
import { createLogger, type Logger } from '@sky/logging';
import type { IMiddlewareGenerator } from 'graphql-middleware';
import type { RequestContext } from './apollo-plugins.ts';
import type { RequestState } from './http-app.ts';
import { readSubgraphSchema } from './schema-files.ts';
import { buildProtectedSubgraphSchema } from './subgraph-schema.ts';
import { createGraphQLService, type GraphQLService } from './subgraph-server.ts';

/** The part of a generated PrismaClient this module needs. */
interface PrismaClientLike {
  $disconnect(): Promise<void>;
}

export interface SubgraphDefinition<
  Prisma extends PrismaClientLike,
  Context extends RequestContext,
> {
  config: SubgraphConfig;
  logger?: Logger;
  /** `(adapter) => new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] })`. */
  createPrisma: (adapter: SqlMigrationAwareDriverAdapterFactory) => Prisma;
  resolvers: object;
  permissions: IMiddlewareGenerator<unknown, unknown, unknown>;
  /** Per request: the stores (with fresh DataLoaders) and anything else resolvers need. */
  createContext: (state: RequestState, prisma: Prisma) => Context;
}

export type Subgraph<Prisma> = GraphQLService & {
  prisma: Prisma;
  database: Database;
  logger: Logger;
  close: () => Promise<void>;
};

/**
 * Builds one subgraph the same way for all five: its own database opened and migrated, its
 * contract from schema/<name>.graphql served with the shield applied, readiness that checks the
 * database. It does not listen; `main` does.
 */
export async function createSubgraph<
  Prisma extends PrismaClientLike,
  Context extends RequestContext,
>(definition: SubgraphDefinition<Prisma, Context>): Promise<Subgraph<Prisma>> {
  const { config } = definition;
  const logger = definition.logger ?? createLogger(config.name, config.logLevel);
  const database = await openSubgraphDatabase(config.name, config.database, logger);
  const prisma = definition.createPrisma(database.adapter);
  const service = await createGraphQLService<Context>({
    name: config.name,
    logger,
    verifier: new TokenVerifier(config.jwt.publicKeyPem, config.jwt),
    bodyLimitBytes: config.bodyLimitBytes,
    production: config.production,
    schema: buildProtectedSubgraphSchema({
      typeDefs: readSubgraphSchema(config.name),
      resolvers: definition.resolvers,
      permissions: definition.permissions,
    }),
    createContext: (state) => definition.createContext(state, prisma),
    checkReadiness: async () => {
      await database.withSession((session) => session.query('SELECT 1'));
    },
  });
  return {
    ...service,
    prisma,
    database,
    logger,
    close: async () => {
      await service.stop();
      await prisma.$disconnect();
      await database.close();
    },
  };
}
