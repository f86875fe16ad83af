import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { TokenVerifier } from '@sky/auth';
import type { SubgraphConfig } from '@sky/config';
import { openSubgraphDatabase, type Database } from '@sky/database';
import {
  createLivePubSub,
  type LivePubSub,
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
import { DocumentLimits } from './limits/document-limits.ts';
import { readSubgraphSchema } from './schema-files.ts';
import { attachSubgraphSubscriptions } from './subgraph-subscriptions.ts';
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
  /**
   * Per request (and per subscription event): the stores (with fresh DataLoaders) and anything
   * else resolvers need. `services.live` publishes and subscribes real-time updates.
   */
  createContext: (state: RequestState, prisma: Prisma, services: SubgraphServices) => Context;
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

/** Process-wide helpers handed to every context. */
export interface SubgraphServices {
  live: LivePubSub;
  /** Publishes the outbox now instead of at the next poll (call after a commit that wrote events). */
  kickRelay: () => void;
}

export type Subgraph<Prisma> = GraphQLService & {
  prisma: Prisma;
  database: Database;
  logger: Logger;
  /** Null for a subgraph without events. */
  events: EventWorkers | null;
  live: LivePubSub;
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
  const live = createLivePubSub({ redisUrl: config.redisUrl, namespace: config.events.namespace });
  // Filled in once the workers exist; contexts only call it after start-up.
  let kick: () => void = () => {};
  const services: SubgraphServices = { live, kickRelay: () => kick() };
  const verifier = new TokenVerifier(config.jwt.publicKeyPem, config.jwt);
  const schema = buildProtectedSubgraphSchema({
    typeDefs: readSubgraphSchema(config.name),
    resolvers: definition.resolvers,
    permissions: definition.permissions,
  });
  const limits = new DocumentLimits(config.limits, config.production);
  const service = await createGraphQLService<Context>({
    name: config.name,
    logger,
    verifier,
    bodyLimitBytes: config.bodyLimitBytes,
    production: config.production,
    limits,
    trustProxy: config.trustProxy,
    schema,
    createContext: (state) => definition.createContext(state, prisma, services),
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
  if (events) kick = events.kick;
  const subscriptions = attachSubgraphSubscriptions({
    httpServer: service.httpServer,
    schema,
    verifier,
    logger,
    limits,
    trustProxy: config.trustProxy,
    createContext: (state) => definition.createContext(state, prisma, services),
  });
  return {
    ...service,
    prisma,
    database,
    logger,
    events,
    live,
    close: async () => {
      await subscriptions.close();
      await events?.stop();
      await live.close();
      await transport?.close();
      await service.stop();
      await prisma.$disconnect();
      await database.close();
    },
  };
}
