import type { z } from 'zod';
import { commonEnv, parseEnv, positiveInt, type Env } from './env.ts';

/**
 * The request limits every service enforces on every path (HTTP and WebSocket), read from the
 * same variables everywhere so that the gateway and a subgraph called directly refuse the same
 * documents. The defaults pass every operation documented in the README.
 */
export interface RequestLimits {
  /** Largest HTTP body and largest WebSocket message, in bytes. */
  bodyBytes: number;
  /** Lexical tokens in one document (graphql-js `maxTokens`: refused while parsing). */
  tokens: number;
  /** Field nesting outside introspection. */
  depth: number;
  /**
   * Field nesting including introspection: graphql-js's own introspection query (the one Sandbox
   * and code generators send) nests 21 levels, so introspection gets its own, counted, ceiling.
   */
  introspectionDepth: number;
  /** Aliased fields per operation, `__typename` aliases included. */
  aliases: number;
  directives: number;
  /** Estimated cost of one operation (see the server kit's cost analysis). */
  cost: number;
  /** Active subscriptions one WebSocket may hold. */
  subscriptionsPerConnection: number;
  webSocket: {
    maxConnections: number;
    maxConnectionsPerAddress: number;
    /** A socket that has not sent `connection_init` by then is closed (4408). */
    connectionInitTimeoutMs: number;
    /** A socket without an active subscription for this long is closed. */
    idleTimeoutMs: number;
    /** Every socket is pinged this often; one that did not answer the previous ping is dropped. */
    pingIntervalMs: number;
    /**
     * Subscriptions one socket may start per second (a fixed one-second window); a `subscribe`
     * beyond it is refused with RATE_LIMITED before any parsing, so a burst costs next to nothing.
     */
    subscribesPerSecond: number;
    /**
     * Messages one socket may send per second (a fixed one-second window); a socket beyond it is
     * flooding and is closed (4429) without its remaining messages being handled.
     */
    messagesPerSecond: number;
  };
}

/** The limits whose default depends on who the service's WebSocket clients are. */
export interface ClientDependentLimitDefaults {
  maxConnectionsPerAddress: number;
  subscriptionsPerConnection: number;
  subscribesPerSecond: number;
  messagesPerSecond: number;
}

/**
 * The limit variables. A subgraph's legitimate WebSocket client is the gateway, which opens one
 * upstream connection per subscribing principal from one address and carries on it the
 * subscriptions of all that principal's sockets, so subgraphs pass higher per-address and
 * per-socket-rate defaults than the gateway, whose clients are end users.
 */
export const requestLimitsEnv = (defaults: ClientDependentLimitDefaults) => ({
  MAX_TOKENS: positiveInt(5_000),
  MAX_DEPTH: positiveInt(12),
  MAX_INTROSPECTION_DEPTH: positiveInt(24),
  MAX_ALIASES: positiveInt(30),
  MAX_DIRECTIVES: positiveInt(50),
  MAX_COST: positiveInt(20_000),
  MAX_SUBSCRIPTIONS_PER_CONNECTION: positiveInt(defaults.subscriptionsPerConnection),
  WS_MAX_CONNECTIONS: positiveInt(10_000),
  WS_MAX_CONNECTIONS_PER_ADDRESS: positiveInt(defaults.maxConnectionsPerAddress),
  WS_CONNECTION_INIT_TIMEOUT_MS: positiveInt(3_000),
  WS_IDLE_TIMEOUT_MS: positiveInt(60_000),
  WS_PING_INTERVAL_MS: positiveInt(30_000),
  WS_SUBSCRIBES_PER_SECOND: positiveInt(defaults.subscribesPerSecond),
  WS_MESSAGES_PER_SECOND: positiveInt(defaults.messagesPerSecond),
});

type LimitsEnv = z.infer<z.ZodObject<ReturnType<typeof requestLimitsEnv>>>;

export function readRequestLimits(parsed: LimitsEnv & { BODY_LIMIT_BYTES: number }): RequestLimits {
  return {
    bodyBytes: parsed.BODY_LIMIT_BYTES,
    tokens: parsed.MAX_TOKENS,
    depth: parsed.MAX_DEPTH,
    introspectionDepth: parsed.MAX_INTROSPECTION_DEPTH,
    aliases: parsed.MAX_ALIASES,
    directives: parsed.MAX_DIRECTIVES,
    cost: parsed.MAX_COST,
    subscriptionsPerConnection: parsed.MAX_SUBSCRIPTIONS_PER_CONNECTION,
    webSocket: {
      maxConnections: parsed.WS_MAX_CONNECTIONS,
      maxConnectionsPerAddress: parsed.WS_MAX_CONNECTIONS_PER_ADDRESS,
      connectionInitTimeoutMs: parsed.WS_CONNECTION_INIT_TIMEOUT_MS,
      idleTimeoutMs: parsed.WS_IDLE_TIMEOUT_MS,
      pingIntervalMs: parsed.WS_PING_INTERVAL_MS,
      subscribesPerSecond: parsed.WS_SUBSCRIBES_PER_SECOND,
      messagesPerSecond: parsed.WS_MESSAGES_PER_SECOND,
    },
  };
}

/** The gateway's defaults: its WebSocket clients are end users. */
export const GATEWAY_LIMIT_DEFAULTS: ClientDependentLimitDefaults = {
  maxConnectionsPerAddress: 50,
  subscriptionsPerConnection: 100,
  subscribesPerSecond: 20,
  // A client app sends a few messages a second (subscribe, complete, pong); 200 is a flood.
  messagesPerSecond: 200,
};

/**
 * A subgraph's defaults: its WebSocket client is the gateway, where one principal may hold 50
 * sockets from one address, each with 100 subscriptions started 20 a second; all of them reach
 * the subgraph over that principal's one upstream connection, hence 50 × 100 and 50 × 20.
 */
export const SUBGRAPH_LIMIT_DEFAULTS: ClientDependentLimitDefaults = {
  maxConnectionsPerAddress: 10_000,
  subscriptionsPerConnection: 5_000,
  subscribesPerSecond: 1_000,
  messagesPerSecond: 10_000,
};

/** The limits as configured by `env` (defaults for everything not set): for tests and tools. */
export function requestLimitsFrom(
  env: Env = {},
  defaults: ClientDependentLimitDefaults = GATEWAY_LIMIT_DEFAULTS,
): RequestLimits {
  return readRequestLimits(
    parseEnv(
      {
        BODY_LIMIT_BYTES: commonEnv.BODY_LIMIT_BYTES,
        ...requestLimitsEnv(defaults),
      },
      env,
    ),
  );
}
