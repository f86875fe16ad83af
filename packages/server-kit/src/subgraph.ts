import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { TokenVerifier } from '@sky/auth';
import type { SubgraphConfig } from '@sky/config';
import { openSubgraphDatabase, type Database } from '@sky/database';
import {
  createLivePubSub,
  inProcessTransport,
  producesEvents,
  RedisStreamTransport,
  parseEvent,
  sampleJobs,
  sampleOutbox,
  runHandler,
  startEventWorkers,
  transactionRunner,
  type AnyEventHandlers,
  type DomainEvent,
  type EventWorkers,
  type JobHandler,
  type LivePubSub,
  type RunInTransaction,
  type SqlClient,
  type StreamTransport,
  type TransactionalClient,
} from '@sky/events';
import { createLogger, type Logger } from '@sky/logging';
import type { ServiceMetrics } from '@sky/telemetry';
import type { Express } from 'express';
import type { IMiddlewareGenerator } from 'graphql-middleware';
import type { AddressInfo } from 'node:net';
import type { RequestContext } from './apollo-plugins.ts';
import type { RequestState } from './http-app.ts';
import { mountInternalApi, type InternalRoute } from './internal-api.ts';
import { DocumentLimits } from './limits/document-limits.ts';
import { createServiceMetrics, trackDatabasePool, trackWebSockets } from './metrics.ts';
import { readSubgraphSchema } from './schema-files.ts';
import { attachSubgraphSubscriptions } from './subgraph-subscriptions.ts';
import { buildProtectedSubgraphSchema } from './subgraph-schema.ts';
import { createGraphQLService, type GraphQLService } from './subgraph-server.ts';

/** The part of a generated PrismaClient this module needs; `Tx` is its transaction client. */
export interface PrismaClientLike<Tx> extends SqlClient, TransactionalClient<Tx> {
  $disconnect(): Promise<void>;
}

/**
 * What a subgraph's own code is built from, made once per process by `createSubgraph`: event
 * handlers, jobs, routes and every request's context are functions of it, so nothing has to be
 * bound after the subgraph exists.
 */
export interface SubgraphRuntime<Prisma, Tx> {
  config: SubgraphConfig;
  logger: Logger;
  /** This subgraph's Prometheus registry and families (internal calls record into it). */
  metrics: ServiceMetrics;
  prisma: Prisma;
  /** Real-time fan-out for subscriptions (Redis pub/sub in server mode, in process embedded). */
  live: LivePubSub;
  /**
   * The one way to run a transaction that may write events: the relay is kicked once it has
   * committed an event, and `afterCommit` callbacks run after the commit.
   */
  transaction: RunInTransaction<Tx>;
  /** Publishes the outbox now instead of at the next poll. */
  kickRelay(): void;
  /**
   * `http://127.0.0.1:<port>` of this process's own listener (for callback URLs handed to a
   * service on the same machine); throws before `listen`.
   */
  localOrigin(): string;
}

export interface SubgraphDefinition<Prisma extends PrismaClientLike<Tx>, Tx, Context> {
  config: SubgraphConfig;
  logger?: Logger;
  /**
   * The subgraph's metrics, when its own code needs them before it is built (the internal clients
   * it hands its services); made here otherwise.
   */
  metrics?: ServiceMetrics;
  /** `(adapter) => new PrismaClient({ adapter, ... })`, from the subgraph's stores. */
  createPrisma: (adapter: SqlMigrationAwareDriverAdapterFactory) => Prisma;
  resolvers: object;
  permissions: IMiddlewareGenerator<unknown, unknown, unknown>;
  /**
   * Per request (and per subscription event): the stores (with fresh DataLoaders) and the domain
   * services resolvers call.
   */
  createContext: (state: RequestState, runtime: SubgraphRuntime<Prisma, Tx>) => Context;
  /** Endpoints other subgraphs call (`POST /internal/<name>`, service token required). */
  internalApi?: (runtime: SubgraphRuntime<Prisma, Tx>) => readonly InternalRoute[];
  /** Routes beside /graphql that are not internal endpoints (a provider's webhook). */
  extraRoutes?: (app: Express, runtime: SubgraphRuntime<Prisma, Tx>) => void;
  /**
   * Consumers of other subgraphs' events (routes and payloads: @sky/contracts), each run once per
   * event id in the transaction that records it as processed; a payload that breaks its contract
   * is parked as a dead letter instead.
   */
  events?: (runtime: SubgraphRuntime<Prisma, Tx>) => AnyEventHandlers<Tx>;
  /**
   * Subscription fields whose every event is the whole current state of what is followed (the
   * first event included, versions increasing): their events are marked so, and the gateway may
   * then give a subscriber joining late the latest one as its first and share one upstream
   * subscription between identical subscribers. Not for streams of separate happenings.
   */
  stateSubscriptions?: readonly string[];
  /** Durable timers by kind; each must be idempotent. */
  jobs?: (runtime: SubgraphRuntime<Prisma, Tx>) => Record<string, JobHandler>;
}

export type Subgraph<Prisma, Tx> = GraphQLService & {
  prisma: Prisma;
  database: Database;
  logger: Logger;
  metrics: ServiceMetrics;
  runtime: SubgraphRuntime<Prisma, Tx>;
  /**
   * Runs this subgraph's handler of an event in a transaction (after-commit work included), the
   * payload parsed with its contract, without the processed-events bookkeeping: tests deliver
   * events with it, repeats included. `transaction` replaces the runtime's (to watch the scope).
   */
  handleEvent(event: DomainEvent, transaction?: RunInTransaction<Tx>): Promise<void>;
  /** Null for a subgraph that neither produces nor consumes events nor runs jobs. */
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
 * database, the event workers it needs (the outbox relay when it produces events, its consumers,
 * its jobs). It does not listen; `main` does.
 */
export async function createSubgraph<
  Prisma extends PrismaClientLike<Tx>,
  Tx extends SqlClient,
  Context extends RequestContext,
>(definition: SubgraphDefinition<Prisma, Tx, Context>): Promise<Subgraph<Prisma, Tx>> {
  const { config } = definition;
  const logger = definition.logger ?? createLogger(config.name, config.logLevel);
  const metrics = definition.metrics ?? createServiceMetrics(config.name, config.metrics);
  const database = await openSubgraphDatabase(config.name, config.database, logger);
  const prisma = definition.createPrisma(database.adapter);
  const live = createLivePubSub({ redisUrl: config.redisUrl, namespace: config.events.namespace });
  // The workers are started from the handlers and jobs, which are built from the runtime; the
  // runtime's relay kick reaches the workers once they exist (nothing commits before that).
  let workers: EventWorkers | null = null;
  const kickRelay = () => workers?.kick();
  let service: GraphQLService | null = null;
  const runtime: SubgraphRuntime<Prisma, Tx> = {
    config,
    logger,
    metrics,
    prisma,
    live,
    transaction: transactionRunner<Tx>(prisma, { kickRelay, logger }),
    kickRelay,
    localOrigin: () => {
      const address = service?.httpServer.address() as AddressInfo | null | undefined;
      if (!address) throw new Error(`${config.name} subgraph is not listening`);
      return `http://127.0.0.1:${address.port}`;
    },
  };
  const verifier = new TokenVerifier(config.jwt.publicKeyPem, config.jwt);
  const schema = buildProtectedSubgraphSchema({
    typeDefs: readSubgraphSchema(config.name),
    resolvers: definition.resolvers,
    permissions: definition.permissions,
  });
  const limits = new DocumentLimits(config.limits, config.production);
  const internalApi = definition.internalApi?.(runtime);
  service = await createGraphQLService<Context>({
    name: config.name,
    logger,
    verifier,
    bodyLimitBytes: config.bodyLimitBytes,
    production: config.production,
    limits,
    trustProxy: config.trustProxy,
    requestTimeoutMs: config.resilience.requestTimeoutMs,
    shutdownGraceMs: config.resilience.shutdownGraceMs,
    schema,
    metrics: { registry: metrics, settings: config.metrics },
    createContext: (state) => definition.createContext(state, runtime),
    checkReadiness: async () => {
      await database.withSession((session) => session.query('SELECT 1'));
    },
    extraRoutes: (app) => {
      if (internalApi) mountInternalApi(app, config.internal.token, internalApi);
      definition.extraRoutes?.(app, runtime);
    },
  });
  const eventHandlers: AnyEventHandlers<Tx> = definition.events?.(runtime) ?? {};
  const jobs = definition.jobs?.(runtime) ?? {};
  const relay = producesEvents(config.name);
  const needsWorkers =
    relay || Object.keys(eventHandlers).length > 0 || Object.keys(jobs).length > 0;
  const transport = needsWorkers ? createTransport(config, logger) : null;
  if (transport) {
    workers = startEventWorkers<Tx>({
      subgraph: config.name,
      client: prisma,
      transaction: runtime.transaction,
      transport,
      logger,
      pollIntervalMs: config.events.pollIntervalMs,
      redeliverAfterMs: config.events.redeliverAfterMs,
      relay,
      handlers: eventHandlers,
      jobs,
      metrics: metrics.events,
    });
  }
  trackDatabasePool(metrics, database);
  if (relay)
    metrics.sampleOnScrape('outbox', () => sampleOutbox(prisma, config.name, metrics.events));
  if (Object.keys(jobs).length > 0) {
    metrics.sampleOnScrape('jobs', () => sampleJobs(prisma, metrics.events));
  }
  const subscriptions = attachSubgraphSubscriptions({
    httpServer: service.httpServer,
    schema,
    verifier,
    logger,
    limits,
    trustProxy: config.trustProxy,
    createContext: (state) => definition.createContext(state, runtime),
    service: config.name,
    stateSubscriptions: definition.stateSubscriptions,
  });
  trackWebSockets(metrics, subscriptions);
  const built = service;
  return {
    ...built,
    prisma,
    database,
    logger,
    metrics,
    runtime,
    handleEvent: async (event, transaction = runtime.transaction) => {
      const parsed = parseEvent(event);
      if (!parsed.ok) throw new Error(`event ${event.id} breaks its contract: ${parsed.problems}`);
      await transaction(async (scope) => {
        const handling = runHandler(eventHandlers, parsed.event, scope);
        if (!handling) throw new Error(`${config.name} has no handler for ${event.type}`);
        await handling;
      });
    },
    events: workers,
    live,
    /**
     * Graceful shutdown, in dependency order: readiness turns false, HTTP stops accepting and
     * in-flight requests finish (within the grace) while WebSocket clients are told 1001 (going
     * away, reconnect elsewhere); then the event workers finish the event or job in hand; only
     * then are Redis and the database closed.
     */
    close: async () => {
      await Promise.all([built.stop(), subscriptions.close()]);
      await workers?.stop();
      await live.close();
      await transport?.close();
      await prisma.$disconnect();
      await database.close();
    },
  };
}
