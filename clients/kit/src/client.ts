import { ApolloClient, ApolloLink, HttpLink, type InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { isSubscriptionOperation } from '@apollo/client/utilities';
import { createClient, type Client as SubscriptionClient } from 'graphql-ws';
import { createSkyCache } from './cache.ts';

/** A token source: called before every HTTP request and every WebSocket connection. */
export type TokenSource = () => string | null | undefined | Promise<string | null | undefined>;

export interface SkyClientOptions {
  /** The gateway's GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  httpUrl: string;
  /** Where subscriptions go (graphql-ws); by default the same path as `httpUrl` over ws(s). */
  wsUrl?: string;
  /** The signed-in user's access token, or nothing when anonymous. */
  getToken: TokenSource;
  /**
   * Automatic persisted queries: send the SHA-256 of a query first and the full text only when
   * the gateway does not know it yet. On by default; it needs Web Crypto (a secure context such
   * as https or localhost in a browser), and is left out where that is missing.
   */
  persistedQueries?: boolean;
  cache?: InMemoryCache;
  /** For runtimes without a global `fetch` or `WebSocket`. */
  fetch?: typeof fetch;
  webSocketImpl?: unknown;
}

export interface SkyClient {
  apollo: ApolloClient;
  /** The WebSocket client subscriptions share (one socket, opened at the first subscription). */
  subscriptions: SubscriptionClient;
  /** Stops queries and closes the socket; the client cannot be used afterwards. */
  dispose(): Promise<void>;
}

/** Hex SHA-256 of `text` with Web Crypto, as Apollo's persisted-query protocol expects. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

const bearer = (token: string | null | undefined) => (token ? `Bearer ${token}` : undefined);

/**
 * Apollo Client for the Sky Take-out gateway: queries and mutations over HTTP (with the token in
 * `Authorization` and automatic persisted queries), subscriptions over graphql-ws on the same
 * endpoint (with the token in `connectionParams.authorization`).
 */
export function createSkyClient(options: SkyClientOptions): SkyClient {
  const wsUrl = options.wsUrl ?? options.httpUrl.replace(/^http/, 'ws');
  const subscriptions = createClient({
    url: wsUrl,
    webSocketImpl: options.webSocketImpl,
    // The token is read at every (re)connection, so a refreshed token is used after a 4401 close.
    connectionParams: async () => {
      const authorization = bearer(await options.getToken());
      return authorization ? { authorization } : {};
    },
    lazy: true,
  });

  const withToken = new SetContextLink(async (previous) => {
    const authorization = bearer(await options.getToken());
    return authorization
      ? { headers: { ...previous.headers, authorization } }
      : { headers: previous.headers };
  });
  const http = new HttpLink({ uri: options.httpUrl, fetch: options.fetch });
  const canHash = typeof globalThis.crypto?.subtle?.digest === 'function';
  const httpChain =
    (options.persistedQueries ?? true) && canHash
      ? ApolloLink.from([withToken, new PersistedQueryLink({ sha256: sha256Hex }), http])
      : ApolloLink.from([withToken, http]);

  const link = ApolloLink.split(
    ({ query }) => isSubscriptionOperation(query),
    new GraphQLWsLink(subscriptions),
    httpChain,
  );
  const apollo = new ApolloClient({ link, cache: options.cache ?? createSkyCache() });
  return {
    apollo,
    subscriptions,
    dispose: async () => {
      apollo.stop();
      await subscriptions.dispose();
    },
  };
}
