import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { readFileSync } from 'node:fs';
import { TokenVerifier } from '@sky/auth';
import { createLogger, type Logger } from '@sky/logging';
import { createGraphQLService, type RequestContext } from '@sky/server-kit';
import type { GatewayConfig } from './config.ts';
import { corsMiddleware, websocketOriginCheck } from './cors.ts';
import { GRAPHIQL_PATH, mountGraphiQL, sandboxLandingPage } from './explorer/index.ts';
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

/** Forwards the caller's token and the request id to every subgraph call. */
class ForwardingDataSource extends RemoteGraphQLDataSource<RequestContext> {
  override willSendRequest({
    request,
    context,
  }: Parameters<NonNullable<RemoteGraphQLDataSource<RequestContext>['willSendRequest']>>[0]) {
    const headers = request.http?.headers;
    if (!headers || !('requestId' in context)) return;
    headers.set('x-request-id', context.requestId);
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
  const armor = new ApolloArmor({
    maxDepth: { n: config.limits.maxDepth },
    maxAliases: { n: config.limits.maxAliases },
    maxDirectives: { n: config.limits.maxDirectives },
    // Armor's token plugin re-parses in parsingDidStart and turns every syntax error into a 500;
    // graphql-js's own `maxTokens` parse option (below) enforces the same limit as a parse error.
    maxTokens: { enabled: false },
    costLimit: { maxCost: config.limits.maxCost },
    // Suggestions help in Sandbox; in production they would leak the schema.
    blockFieldSuggestion: { enabled: config.production },
  }).protect();
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
    plugins: [
      ...(armor.plugins as never[]),
      trustedDocumentsPlugin(config.trustedDocuments.mode, manifest),
    ],
    validationRules: armor.validationRules,
    parseOptions: { maxTokens: config.limits.maxTokens },
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
    },
  });
  const subscriptions = attachSubscriptionServer({
    httpServer: service.httpServer,
    path: '/graphql',
    planner,
    upstream,
    verifier,
    logger: log,
    validationRules: armor.validationRules,
    subgraphUrl: (name) => subgraphUrl(name, recordedUrls[name]),
    maxSubscriptionsPerConnection: config.limits.maxSubscriptionsPerConnection,
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
