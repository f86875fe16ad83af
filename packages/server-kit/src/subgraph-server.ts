import { ApolloServer, type ApolloServerOptions, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express, type RequestHandler } from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ValidationRule } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { TokenVerifier } from '@sky/auth';
import type { MetricsSettings } from '@sky/config';
import type { Logger } from '@sky/logging';
import {
  inFlightRequests,
  metricsEndpoint,
  OperationNameFolder,
  type ServiceMetrics,
} from '@sky/telemetry';
import {
  authenticate,
  enterRequestDeadline,
  jsonBody,
  requestContext,
  requireGraphQLRequest,
  unexpectedErrorHandler,
  type RequestState,
} from './http-app.ts';
import {
  deadlinePlugin,
  errorLoggingPlugin,
  formatError,
  landingPagePlugin,
  requestIdPlugin,
  type RequestContext,
} from './apollo-plugins.ts';
import { refuseCrossSiteRequests } from './csrf.ts';
import { graphqlMetricsPlugin, requireMetricsToken } from './metrics.ts';
import { clientAddressResolver } from './limits/client-address.ts';
import { costLimitPlugin } from './limits/cost-plugin.ts';
import type { DocumentLimits } from './limits/document-limits.ts';

export interface GraphQLServiceOptions<Context extends RequestContext> {
  name: string;
  logger: Logger;
  verifier: TokenVerifier;
  bodyLimitBytes: number;
  production: boolean;
  /** A subgraph serves its own schema; the gateway passes its ApolloGateway instead. */
  schema?: GraphQLSchema;
  gateway?: GatewayInterface;
  createContext: (state: RequestState) => Promise<Context> | Context;
  /** Throws when the service cannot serve (database down, schema not loaded). */
  checkReadiness: () => Promise<void>;
  plugins?: ApolloServerPlugin<Context>[];
  /** Tokens, depth, aliases, directives and cost: the same limits as the WebSocket path. */
  limits: DocumentLimits;
  /** Which proxies' `X-Forwarded-For` to believe for the client address (`trust proxy` syntax). */
  trustProxy: string;
  validationRules?: ValidationRule[];
  /** Routes beside /graphql (webhooks, internal endpoints). */
  extraRoutes?: (app: Express) => void;
  /** Schema introspection; on unless in production. */
  introspection?: boolean;
  /**
   * What a browser opening /graphql gets: this landing page plugin, or nothing with `false`.
   * Default: Sandbox in development, nothing in production.
   */
  landingPage?: ApolloServerPlugin<Context> | false;
  /** Automatic persisted queries: Apollo's bounded in-memory cache unless given another. */
  persistedQueries?: ApolloServerOptions<Context>['persistedQueries'];
  /**
   * Each request's time budget (REQUEST_TIMEOUT_MS), shortened by a caller's smaller one;
   * the configuration's default when not given (tests).
   */
  requestTimeoutMs?: number;
  /** How long `stop` lets in-flight HTTP requests finish before it cuts their connections. */
  shutdownGraceMs?: number;
  /** Runs on /graphql after the body is parsed and before the request is checked. */
  beforeGraphQLRequest?: RequestHandler[];
  /**
   * Prometheus metrics: `/metrics` on this port (never under `/graphql`), the GraphQL request
   * plugin and the in-flight gauge. `trustedOperationNames` (the gateway's manifest) bounds the
   * operation label to those names.
   */
  metrics?: {
    registry: ServiceMetrics;
    settings: MetricsSettings;
    trustedOperationNames?: ReadonlySet<string> | null;
  };
}

export interface RunningService {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

export interface GraphQLService {
  app: Express;
  httpServer: Server;
  listen: (port: number, host?: string) => Promise<RunningService>;
  stop: () => Promise<void>;
}

/** Builds the HTTP + GraphQL server of one service; `listen` is separate so tests use port 0. */
export async function createGraphQLService<Context extends RequestContext>(
  options: GraphQLServiceOptions<Context>,
): Promise<GraphQLService> {
  const app = express();
  app.disable('x-powered-by');
  // Express hashes every body it sends for a weak ETag; GraphQL POST answers are never
  // revalidated with it, so that is a hash of every response (88 KB ones too) for nothing.
  app.set('etag', false);
  const httpServer = createServer(app);
  // Keep-alive connections from the gateway outlive a request; a short timeout would reset them.
  httpServer.keepAliveTimeout = 65_000;

  const metrics = options.metrics?.settings.enabled ? options.metrics : null;
  const landingPage =
    options.landingPage ?? (options.production ? false : landingPagePlugin(false));
  const apolloOptions = {
    introspection: options.introspection ?? !options.production,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: options.production,
    formatError,
    validationRules: [...options.limits.validationRules, ...(options.validationRules ?? [])],
    parseOptions: options.limits.parseOptions,
    persistedQueries: options.persistedQueries,
    plugins: [
      // On stop: no new connections, idle ones closed, in-flight requests finish (up to the grace).
      ApolloServerPluginDrainHttpServer({
        httpServer,
        stopGracePeriodMillis: options.shutdownGraceMs,
      }),
      // No Apollo Studio reporting from anywhere unless a later issue asks for it.
      ApolloServerPluginUsageReportingDisabled(),
      ...(options.gateway ? [] : [ApolloServerPluginInlineTraceDisabled()]),
      landingPage || landingPagePlugin(true),
      requestIdPlugin(),
      errorLoggingPlugin(),
      deadlinePlugin(),
      costLimitPlugin(options.limits),
      ...(metrics
        ? [
            graphqlMetricsPlugin(
              metrics.registry,
              new OperationNameFolder({
                maxNames: metrics.settings.maxOperationNames,
                trustedNames: metrics.trustedOperationNames,
              }),
            ),
          ]
        : []),
      ...(options.plugins ?? []),
    ] as ApolloServerPlugin<Context>[],
  };
  const apollo = options.gateway
    ? new ApolloServer<Context>({ ...apolloOptions, gateway: options.gateway })
    : new ApolloServer<Context>({
        ...apolloOptions,
        schema: options.schema!,
      } as ApolloServerOptions<Context>);
  await apollo.start();

  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  // Set first when stopping, so a load balancer stops routing here while requests drain.
  let draining = false;
  app.get('/health/ready', async (_req, res) => {
    if (draining) {
      res.status(503).json({ status: 'draining', service: options.name });
      return;
    }
    try {
      await options.checkReadiness();
      res.json({ status: 'ready', service: options.name });
    } catch (error) {
      options.logger.warn({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable', service: options.name });
    }
  });
  if (metrics) {
    // Beside the probes and before request logging: a scrape every few seconds is not traffic.
    app.get(
      '/metrics',
      requireMetricsToken(metrics.settings.token),
      metricsEndpoint(metrics.registry),
    );
    app.use(inFlightRequests(metrics.registry.httpInFlight));
  }
  app.use(
    requestContext(options.logger, clientAddressResolver(options.trustProxy), {
      service: options.name,
      requestTimeoutMs: options.requestTimeoutMs,
    }),
  );
  options.extraRoutes?.(app);
  app.use(
    '/graphql',
    refuseCrossSiteRequests,
    jsonBody(options.bodyLimitBytes),
    ...(options.beforeGraphQLRequest ?? []),
    requireGraphQLRequest({ landingPage: landingPage !== false }),
    authenticate(options.verifier),
    enterRequestDeadline,
    expressMiddleware(apollo, { context: async ({ req }) => options.createContext(req.sky) }),
  );
  app.use(unexpectedErrorHandler);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    draining = true;
    await apollo.stop();
    if (httpServer.listening) {
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    }
  };

  return {
    app,
    httpServer,
    stop,
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address() as AddressInfo;
          const url = `http://${host}:${address.port}/graphql`;
          options.logger.info({ url }, `${options.name} listening`);
          resolve({ url, port: address.port, stop });
        });
      }),
  };
}
