import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { TokenVerifier } from '@sky/auth';
import type { SubgraphConfig } from '@sky/config';
import { openSubgraphDatabase, type Database } from '@sky/database';
import {
  inProcessTransport,
  RedisStreamTransport,
  startEventWorkers,
  type EventHandler,
  type EventWorkers,
  type JobHandler,
  type StreamTransport,
} from '@sky/events';
import { createLogger, type Logger } from '@sky/logging';
import type { IMiddlewareGenerator } from 'graphql-middleware';
import type { RequestContext } from './apollo-plugins.ts';
import type { RequestState } from './http-app.ts';
import { mountInternalApi, type InternalHandler } from './internal-api.ts';
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
  /** Endpoints other subgraphs call (`POST /internal/<name>`, service token required). */
  internalApi?: (prisma: Prisma) => Record<string, InternalHandler>;
  /**
   * Event machinery: `relay` publishes this subgraph's outbox; `handlers` consume other
   * subgraphs' events (idempotently, in a transaction); `jobs` run durable timers.
   */
  events?: {
    relay: boolean;
    // Handlers receive Prisma's transaction client; each subgraph types it at its definition.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    handlers?: Record<string, EventHandler<any>>;
    jobs?: Record<string, JobHandler<Prisma>>;
  };
}

export type Subgraph<Prisma> = GraphQLService & {
  prisma: Prisma;
  database: Database;
  logger: Logger;
  /** Null for a subgraph without events. */
  events: EventWorkers | null;
  close: () => Promise<void>;
};

/** Redis Streams in server mode; an in-process transport (per event namespace) when embedded. */
function createTransport(config: SubgraphConfig, logger: Logger): StreamTransport {
  return config.redisUrl
    ? new RedisStreamTransport(config.redisUrl, config.events.namespace, logger)
    : inProcessTransport(config.events.namespace);
}

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
    extraRoutes: definition.internalApi
      ? (app) => mountInternalApi(app, config.internal.token, definition.internalApi!(prisma))
      : undefined,
  });
  const transport = definition.events ? createTransport(config, logger) : null;
  const events =
    definition.events && transport
      ? startEventWorkers({
          subgraph: config.name,
          client: prisma as unknown as Parameters<typeof startEventWorkers>[0]['client'],
          transport,
          logger,
          pollIntervalMs: config.events.pollIntervalMs,
          redeliverAfterMs: config.events.redeliverAfterMs,
          relay: definition.events.relay,
          handlers: definition.events.handlers,
          jobs: definition.events.jobs as Record<string, JobHandler<unknown>> | undefined,
        })
      : null;
  return {
    ...service,
    prisma,
    database,
    logger,
    events,
    close: async () => {
      await events?.stop();
      await transport?.close();
      await service.stop();
      await prisma.$disconnect();
      await database.close();
    },
  };
}
