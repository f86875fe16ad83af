import { ApolloGateway } from '@apollo/gateway';
import { mountReportExport, REPORT_EXPORT_PATH } from './report-export.ts';
import { readFileSync } from 'node:fs';
import { TokenVerifier } from '@sky/auth';
import { createLogger, type Logger } from '@sky/logging';
import {
  clientAddressResolver,
  createGraphQLService,
  createRemoteCalls,
  createServiceMetrics,
  DocumentLimits,
  trackWebSockets,
  type RequestContext,
} from '@sky/server-kit';
import { recentTraces } from '@sky/telemetry';
import type { GatewayConfig } from './config.ts';
import { corsMiddleware, websocketOriginCheck } from './cors.ts';
import { GRAPHIQL_PATH, mountGraphiQL, sandboxLandingPage } from './explorer/index.ts';
import { mountRecentTracesPage } from './recent-traces-page.ts';
import { checkPersistedQueryRequest, createPersistedQueriesCache } from './persisted-queries.ts';
import {
  resolveDocumentId,
  TrustedDocumentManifest,
  trustedDocumentsPlugin,
} from './trusted-documents.ts';
import { planningSchemasOf, SubscriptionPlanner } from './subscriptions/subscription-planner.ts';
import { UpstreamConnections } from './subscriptions/upstream.ts';
import { attachSubscriptionServer } from './subscriptions/websocket-server.ts';
import { SubgraphFetch } from './subgraph-fetch.ts';
import { InFlightFetches } from './inflight-fetches.ts';
import { ResponseCache } from './response-cache.ts';

/** A general federation gateway: any composed supergraph file, subgraph URLs overridable by name. */
export async function createGateway(config: GatewayConfig, logger?: Logger) {
  const log = logger ?? createLogger('gateway', config.logLevel);
  const metrics = createServiceMetrics('gateway', config.metrics);
  // One circuit breaker per subgraph, shared by HTTP operations and live events' entity fetches;
  // their state is exported with the gateway's metrics.
  const calls = createRemoteCalls(config.resilience, {
    logger: log,
    registry: metrics.registry,
  });
  const supergraphSdl = readFileSync(config.supergraphPath, 'utf8');
  const subgraphUrl = (name: string, url?: string) =>
    config.subgraphUrlOverrides[name] ?? url ?? '';
  const inFlight = config.subgraphDedup ? new InFlightFetches() : null;
  const buildService = ({ name, url }: { name: string; url?: string }) =>
    new SubgraphFetch(
      name,
      subgraphUrl(name, url),
      calls,
      config.subgraphTimeoutMs,
      metrics,
      inFlight,
    );
  const responseCache = config.responseCache.enabled
    ? await ResponseCache.start(config.responseCache, log)
    : null;
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: log,
    buildService,
    ...(responseCache
      ? { experimental_didResolveQueryPlan: responseCache.didResolveQueryPlan }
      : {}),
  });
  const upstream = new UpstreamConnections(config.subgraphTimeoutMs);
  const verifier = new TokenVerifier(config.jwt.publicKeyPem, config.jwt);
  // The same limits as every subgraph, on HTTP and WebSocket alike (cost from the API schema).
  const limits = new DocumentLimits(config.limits, config.production);
  const manifest =
    config.trustedDocuments.mode === 'off'
      ? null
      : TrustedDocumentManifest.load(config.trustedDocuments.manifestPath);
  if (manifest) {
    log.info(
      { mode: config.trustedDocuments.mode, documents: manifest.size },
      'trusted documents loaded',
    );
  }
  const persistedQueries = await createPersistedQueriesCache(
    config.persistedQueries.redisUrl,
    config.persistedQueries.namespace,
    log,
  );
  const service = await createGraphQLService<RequestContext>({
    name: 'gateway',
    logger: log,
    verifier,
    bodyLimitBytes: config.bodyLimitBytes,
    production: config.production,
    gateway,
    plugins: [
      trustedDocumentsPlugin(config.trustedDocuments.mode, manifest),
      ...(responseCache ? [responseCache.plugin()] : []),
    ],
    // With a manifest loaded (log or enforce), only its operations' names are label values.
    metrics: {
      registry: metrics,
      settings: config.metrics,
      trustedOperationNames: manifest?.operationNames() ?? null,
    },
    limits,
    trustProxy: config.trustProxy,
    requestTimeoutMs: config.resilience.requestTimeoutMs,
    shutdownGraceMs: config.resilience.shutdownGraceMs,
    createContext: (state) => state,
    // An explorer needs the schema, so turning one on in production turns introspection on too.
    introspection: config.explorer || !config.production,
    landingPage: config.explorer ? sandboxLandingPage() : false,
    persistedQueries: {
      cache: persistedQueries.cache,
      ttl: config.persistedQueries.ttlSeconds,
    },
    beforeGraphQLRequest: [
      ...(manifest ? [resolveDocumentId(manifest)] : []),
      checkPersistedQueryRequest,
    ],
    // ApolloServer.start() has loaded the supergraph before this service exists.
    checkReadiness: async () => {},
    extraRoutes: (app) => {
      app.get('/health', (_req, res) => {
        res.json({ status: 'ok', service: 'gateway' });
      });
      app.use('/graphql', corsMiddleware(config.cors));
      mountGraphiQL(app, config.explorer);
      // The export is fetched by the web app from its own origin, like /graphql.
      app.use(REPORT_EXPORT_PATH, corsMiddleware(config.cors));
      mountReportExport(app);
      const traces = recentTraces();
      if (config.debugTracesPage && traces) mountRecentTracesPage(app, traces);
    },
  });
  // Subscriptions: planned with the gateway's own schemas and planner (loaded by the service's
  // start), entity fetches through the same kind of data source; the subgraph owning the root
  // field is subscribed to over graphql-ws.
  const planner = new SubscriptionPlanner(planningSchemasOf(gateway));
  const subgraphs = planner.subgraphs();
  planner.useServices(Object.fromEntries(subgraphs.map((s) => [s.name, buildService(s)])));
  const recordedUrls = Object.fromEntries(subgraphs.map((s) => [s.name, s.url]));
  const subscriptions = attachSubscriptionServer({
    httpServer: service.httpServer,
    path: '/graphql',
    planner,
    upstream,
    verifier,
    logger: log,
    limits,
    clientAddress: clientAddressResolver(config.trustProxy),
    subgraphUrl: (name) => subgraphUrl(name, recordedUrls[name]),
    requestTimeoutMs: config.resilience.requestTimeoutMs,
    isAllowedOrigin: websocketOriginCheck(config.cors),
  });
  trackWebSockets(metrics, subscriptions);
  return {
    ...service,
    metrics,
    /** Where a browser finds the explorers, when they are on. */
    explorerUrls: (graphqlUrl: string) =>
      config.explorer
        ? { sandbox: graphqlUrl, graphiql: new URL(GRAPHIQL_PATH, graphqlUrl).href }
        : null,
    logger: log,
    /** Subgraph reads deduplicated in flight, when on (tests, diagnostics). */
    inFlight,
    /** The response cache of public catalog reads, when on (tests, diagnostics). */
    responseCache,
    /** Which subgraphs' breakers are open (tests, diagnostics). */
    breakers: calls.breakers,
    /**
     * Graceful shutdown: readiness turns false, HTTP drains (in-flight requests finish within
     * the grace) while WebSocket clients are told 1001; then upstream sockets and Redis close.
     */
    stop: async () => {
      await Promise.all([service.stop(), subscriptions.close()]);
      await upstream.close();
      await persistedQueries.close();
      await responseCache?.close();
      calls.breakers.shutdown();
    },
  };
}

export type Gateway = Awaited<ReturnType<typeof createGateway>>;
