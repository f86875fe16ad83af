import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { readFileSync } from 'node:fs';
import { TokenVerifier } from '@sky/auth';
import { createLogger, type Logger } from '@sky/logging';
import {
  clientAddressResolver,
  createGraphQLService,
  DocumentLimits,
  isClientFacing,
  type RequestContext,
} from '@sky/server-kit';
import { GraphQLError } from 'graphql';
import { recentTraces, traceCarrier } from '@sky/telemetry';
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
import { SubscriptionPlanner } from './subscriptions/subscription-planner.ts';
import { UpstreamConnections } from './subscriptions/upstream.ts';
import { attachSubscriptionServer } from './subscriptions/websocket-server.ts';

type Fetcher = NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher'];

/**
 * Node's fetch keeps connections to each subgraph alive (undici's pool); every call gets a
 * deadline so a stuck subgraph fails the request instead of holding it.
 */
function fetchWithTimeout(timeoutMs: number): Fetcher {
  return ((url: string, init?: RequestInit) =>
    fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as unknown as Fetcher;
}

/** Forwards the caller's token, the request id and the trace context to every subgraph call. */
class ForwardingDataSource extends RemoteGraphQLDataSource<RequestContext> {
  /**
   * A subgraph that refuses a request as a whole answers 4xx with a coded GraphQL error (a
   * variable its scalar rejects, a limit): pass that refusal on with its code instead of the
   * data source's generic "400: Bad Request", which the client would only see as an internal
   * error. Anything else stays an opaque failure.
   */
  override async errorFromResponse(
    response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0],
  ) {
    const generic = await super.errorFromResponse(response);
    const body = (generic.extensions.response as { body?: unknown } | undefined)?.body;
    const first = (
      body as { errors?: { message?: unknown; extensions?: Record<string, unknown> }[] }
    )?.errors?.[0];
    const code = first?.extensions?.code;
    if (!first || typeof first.message !== 'string' || !isClientFacing(code)) return generic;
    const { requestId: _requestId, ...extensions } = first.extensions ?? {};
    return new GraphQLError(first.message, { extensions: { ...extensions, code } });
  }

  override willSendRequest({
    request,
    context,
  }: Parameters<NonNullable<RemoteGraphQLDataSource<RequestContext>['willSendRequest']>>[0]) {
    const headers = request.http?.headers;
    if (!headers) return;
    // W3C traceparent of the active span (Apollo Gateway's fetch span): the subgraph continues it.
    for (const [name, value] of Object.entries(traceCarrier())) headers.set(name, value);
    if (!('requestId' in context)) return;
    headers.set('x-request-id', context.requestId);
    // Subgraphs trust this header from the gateway's network only (their TRUST_PROXY).
    if (context.clientAddress) headers.set('x-forwarded-for', context.clientAddress);
    if (context.viewer) headers.set('authorization', `Bearer ${context.viewer.token}`);
  }
}

/** A general federation gateway: any composed supergraph file, subgraph URLs overridable by name. */
export async function createGateway(config: GatewayConfig, logger?: Logger) {
  const log = logger ?? createLogger('gateway', config.logLevel);
  const supergraphSdl = readFileSync(config.supergraphPath, 'utf8');
  const subgraphUrl = (name: string, url?: string) =>
    config.subgraphUrlOverrides[name] ?? url ?? '';
  const buildService = ({ name, url }: { name: string; url?: string }) =>
    new ForwardingDataSource({
      url: subgraphUrl(name, url),
      fetcher: fetchWithTimeout(config.subgraphTimeoutMs),
    });
  const gateway = new ApolloGateway({ supergraphSdl, logger: log, buildService });
  // Subscriptions: planned over the same supergraph, entity fetches through the same kind of
  // data source; the subgraph owning the root field is subscribed to over graphql-ws.
  const planner = new SubscriptionPlanner(supergraphSdl);
  const subgraphs = planner.subgraphs();
  planner.useServices(Object.fromEntries(subgraphs.map((s) => [s.name, buildService(s)])));
  const recordedUrls = Object.fromEntries(subgraphs.map((s) => [s.name, s.url]));
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
  const persistedQueries = await createPersistedQueriesCache(config.persistedQueries.redisUrl, log);
  const service = await createGraphQLService<RequestContext>({
    name: 'gateway',
    logger: log,
    verifier,
    bodyLimitBytes: config.bodyLimitBytes,
    production: config.production,
    gateway,
    plugins: [trustedDocumentsPlugin(config.trustedDocuments.mode, manifest)],
    limits,
    trustProxy: config.trustProxy,
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
      const traces = recentTraces();
      if (config.debugTracesPage && traces) mountRecentTracesPage(app, traces);
    },
  });
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
    isAllowedOrigin: websocketOriginCheck(config.cors),
  });
  return {
    ...service,
    /** Where a browser finds the explorers, when they are on. */
    explorerUrls: (graphqlUrl: string) =>
      config.explorer
        ? { sandbox: graphqlUrl, graphiql: new URL(GRAPHIQL_PATH, graphqlUrl).href }
        : null,
    stop: async () => {
      await subscriptions.close();
      await upstream.close();
      await service.stop();
      await persistedQueries.close();
    },
  };
}

export type Gateway = Awaited<ReturnType<typeof createGateway>>;
