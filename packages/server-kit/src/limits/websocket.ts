import type { RequestLimits } from '@sky/config';
import { ErrorCode } from '@sky/errors';
import type { Logger } from '@sky/logging';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import {
  CloseCode,
  handleProtocols,
  makeServer,
  type ConnectionInitMessage,
  type Context,
  type ServerOptions,
} from 'graphql-ws';
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { WebSocketServer, type WebSocket } from 'ws';
import { formatError } from '../apollo-plugins.ts';
import { tooManyAttempts } from '../throttle.ts';

/** The HTTP path's error masking for the socket too: stable codes kept, internals never sent. */
const formatted = (error: GraphQLError | GraphQLFormattedError): GraphQLFormattedError =>
  formatError(error instanceof GraphQLError ? error.toJSON() : error);

/** What every graphql-ws hook of a guarded server finds in `ctx.extra`. */
export interface WebSocketExtra {
  socket: WebSocket;
  clientAddress: string;
}

export interface GuardedWebSocketOptions<P extends ConnectionInitMessage['payload'], E> {
  httpServer: Server;
  path: string;
  limits: RequestLimits;
  clientAddress: (request: IncomingMessage) => string;
  logger: Logger;
  /** The handshake's Origin check (browsers let any page open a socket to any host); default: any. */
  isAllowedOrigin?: (request: IncomingMessage) => boolean;
  /** The graphql-ws server; its hooks see `ctx.extra` as `E & WebSocketExtra`. */
  graphqlWs: ServerOptions<P, E & WebSocketExtra>;
}

/**
 * Per socket: liveness for the keepalive, the graphql-ws context once the socket is initialised,
 * and the key of its subscription-start rate.
 */
interface Session {
  alive: boolean;
  idleSince: number;
  context?: Context<never, unknown>;
  rateKey: string;
  /** The message-flood window: when it started and how many messages came in it. */
  windowStartedAt: number;
  messagesInWindow: number;
  /** Set once the socket flooded: nothing it still sends is handled. */
  flooded: boolean;
}

/** The TCP socket under a `ws` WebSocket (a private field of ws 8: absent means "leave it"). */
const rawSocketOf = (socket: WebSocket): Socket | undefined =>
  (socket as unknown as { _socket?: Socket })._socket;

/**
 * Close code for a socket that sent more messages in a second than allowed (graphql-ws's own
 * "too many requests" code, which it uses for repeated `connection_init`).
 */
export const CLOSE_TOO_MANY_MESSAGES = 4429;

/** Close code for a socket that held no subscription for the idle timeout (a normal closure). */
export const CLOSE_IDLE = 1000;

/**
 * graphql-ws over `ws` with the request limits of the HTTP path and the hygiene a public socket
 * needs: messages above the body limit are refused by `ws` from the frame header (1009, nothing
 * buffered); connections are capped in total and per client address (the upgrade is answered
 * 503 or 429); a socket that does not initialise in time is closed (4408); every socket is
 * pinged and dropped when it stops answering; a socket without an active subscription for the
 * idle timeout is closed; a subscription slot is taken the moment its `subscribe` message
 * arrives, so a burst of messages cannot overrun the per-connection limit; and a socket starts at
 * most `subscribesPerSecond` subscriptions a second, so a burst pays for parsing, planning and
 * upstream subscriptions only up to that rate.
 *
 * This replaces graphql-ws's own `use/ws` glue (which it mirrors) so that these checks and the
 * logging live in one place.
 */
export function serveGraphQLWebSocket<P extends ConnectionInitMessage['payload'], E>(
  options: GuardedWebSocketOptions<P, E>,
) {
  const { limits, logger } = options;
  const perAddress = new Map<string, number>();
  const sessions = new Map<WebSocket, Session>();
  const inner = options.graphqlWs;
  // In this process's memory: a socket lives on one instance, so its rate does too.
  const subscribeRate = new RateLimiterMemory({
    points: limits.webSocket.subscribesPerSecond,
    duration: 1,
  });
  let sessionsOpened = 0;

  const rateRefusal = (msBeforeNext: number) =>
    tooManyAttempts(
      `At most ${limits.webSocket.subscribesPerSecond} new subscriptions per second on one connection.`,
      msBeforeNext,
    );
  /** Takes one subscription start from the socket's rate; a refusal says when to try again. */
  const refusedByRate = async (socket: WebSocket): Promise<GraphQLError | null> => {
    const session = sessions.get(socket);
    // Only a socket that is already closing has no session: it starts nothing more.
    if (!session) return rateRefusal(1_000);
    try {
      await subscribeRate.consume(session.rateKey);
      return null;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return rateRefusal(rejection.msBeforeNext);
    }
  };

  const server = makeServer<P, E & WebSocketExtra>({
    ...inner,
    connectionInitWaitTimeout: limits.webSocket.connectionInitTimeoutMs,
    onConnect: async (ctx) => {
      const session = sessions.get(ctx.extra.socket);
      if (session) session.context = ctx as unknown as Context<never, unknown>;
      return inner.onConnect ? inner.onConnect(ctx) : true;
    },
    onSubscribe: async (ctx, id, payload) => {
      // graphql-ws registers the id synchronously when the message arrives, before any hook
      // runs, so this count includes every subscription of the burst that came before. It is
      // taken before the first await below, which is what makes the reservation race-free.
      if (Object.keys(ctx.subscriptions).length > limits.subscriptionsPerConnection) {
        return [
          new GraphQLError(
            `At most ${limits.subscriptionsPerConnection} subscriptions per connection.`,
            { extensions: { code: ErrorCode.RATE_LIMITED } },
          ),
        ];
      }
      // Before the inner hook, which parses, validates and (at the gateway) plans: a refusal
      // costs a counter. Returning errors makes graphql-ws send them as this id's `error`
      // message, which ends the id, and release its slot.
      const refusal = await refusedByRate(ctx.extra.socket);
      if (refusal) return [refusal];
      return inner.onSubscribe?.(ctx, id, payload);
    },
    onNext: async (ctx, id, payload, args, result) => {
      const next = (await inner.onNext?.(ctx, id, payload, args, result)) ?? result;
      return next.errors ? { ...next, errors: next.errors.map(formatted) } : next;
    },
    onError: async (ctx, id, payload, errors) => {
      const reported = (await inner.onError?.(ctx, id, payload, errors)) ?? errors;
      return reported.map(formatted);
    },
  });

  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    maxPayload: limits.bodyBytes,
    handleProtocols,
    // Runs synchronously with the handshake that follows, so the counts below cannot be raced.
    verifyClient: (info, accept) => {
      const address = options.clientAddress(info.req);
      if (options.isAllowedOrigin && !options.isAllowedOrigin(info.req)) {
        logger.info({ address, origin: info.req.headers.origin }, 'websocket refused: origin');
        return accept(false, 403, 'Origin not allowed');
      }
      if (sessions.size >= limits.webSocket.maxConnections) {
        logger.warn({ address }, 'websocket refused: connection limit reached');
        return accept(false, 503, 'Too many connections; try again later.');
      }
      if ((perAddress.get(address) ?? 0) >= limits.webSocket.maxConnectionsPerAddress) {
        logger.info({ address }, 'websocket refused: too many connections from this address');
        return accept(false, 429, 'Too many connections from this address.');
      }
      accept(true);
    },
  });

  wsServer.on('connection', (socket, request) => {
    const clientAddress = options.clientAddress(request);
    perAddress.set(clientAddress, (perAddress.get(clientAddress) ?? 0) + 1);
    const session: Session = {
      alive: true,
      idleSince: Date.now(),
      rateKey: String(++sessionsOpened),
      windowStartedAt: Date.now(),
      messagesInWindow: 0,
      flooded: false,
    };
    /**
     * Counted synchronously as each message arrives, before graphql-ws sees it, so a burst of a
     * thousand frames is cut off after the allowed number instead of each being parsed and
     * answered. (A counter here rather than rate-limiter-flexible: its check is asynchronous and
     * could let a message through out of order.)
     */
    const floods = (): boolean => {
      if (session.flooded) return true;
      const now = Date.now();
      if (now - session.windowStartedAt >= 1_000) {
        session.windowStartedAt = now;
        session.messagesInWindow = 0;
      }
      if (++session.messagesInWindow <= limits.webSocket.messagesPerSecond) return false;
      session.flooded = true;
      logger.warn({ address: clientAddress }, 'websocket closed: message flood');
      socket.close(CLOSE_TOO_MANY_MESSAGES, 'Too many messages');
      // Stop reading what is still buffered and drop the connection once the close frame has
      // gone out: the client learns at once, and its unread burst costs nothing.
      setImmediate(() => rawSocketOf(socket)?.pause());
      setTimeout(() => socket.terminate(), 50).unref();
      return true;
    };
    sessions.set(socket, session);
    socket.on('pong', () => {
      session.alive = true;
    });
    socket.on('error', (error) => {
      // Oversized or malformed frames: `ws` has already sent its close frame (1009/1002) and
      // would now read and discard the rest of a 20 MB message while waiting for the peer's
      // close. Stop reading instead (TCP flow control then holds the sender at no cost to us)
      // and drop the connection shortly after; the close frame has already gone out.
      logger.info({ address: clientAddress, reason: error.message }, 'websocket frame refused');
      setImmediate(() => rawSocketOf(socket)?.pause());
      setTimeout(() => socket.terminate(), 1_000).unref();
    });
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', async (data) => {
            session.alive = true;
            if (floods()) return;
            try {
              await handle(String(data));
            } catch (error) {
              logger.error({ err: error }, 'websocket message handling failed');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            }
          }),
      },
      // Not the upgrade request: held for the socket's lifetime, its headers and parser state
      // would cost every open subscription a few KiB for nothing read after the handshake.
      { socket, clientAddress } as E & WebSocketExtra,
    );
    socket.once('close', (code, reason) => {
      sessions.delete(socket);
      void subscribeRate.delete(session.rateKey);
      const left = (perAddress.get(clientAddress) ?? 1) - 1;
      if (left > 0) perAddress.set(clientAddress, left);
      else perAddress.delete(clientAddress);
      void closed(code, String(reason));
    });
  });

  // Keepalive: a socket that did not answer the previous ping (nor sent anything) is gone.
  const pinger = setInterval(() => {
    for (const [socket, session] of sessions) {
      if (!session.alive) {
        socket.terminate();
        continue;
      }
      session.alive = false;
      if (socket.readyState === socket.OPEN) socket.ping();
    }
  }, limits.webSocket.pingIntervalMs);
  pinger.unref();

  // Idle sockets: initialised or not, a socket without an active subscription is closed after
  // the idle timeout (an uninitialised one is closed by the init timeout long before that).
  const idleTimeout = limits.webSocket.idleTimeoutMs;
  const sweeper = setInterval(
    () => {
      const now = Date.now();
      for (const [socket, session] of sessions) {
        const active = session.context ? Object.keys(session.context.subscriptions).length : 0;
        if (active > 0) session.idleSince = now;
        else if (now - session.idleSince >= idleTimeout) socket.close(CLOSE_IDLE, 'Idle');
      }
    },
    Math.max(50, Math.min(idleTimeout / 4, 1_000)),
  );
  sweeper.unref();

  return {
    wsServer,
    /** Open sockets (tests and metrics). */
    connectionCount: () => sessions.size,
    /** Subscriptions active on all sockets (metrics). */
    subscriptionCount: () => {
      let active = 0;
      for (const session of sessions.values()) {
        if (session.context) active += Object.keys(session.context.subscriptions).length;
      }
      return active;
    },
    close: async () => {
      clearInterval(pinger);
      clearInterval(sweeper);
      for (const socket of sessions.keys()) socket.close(1001, 'Going away');
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
