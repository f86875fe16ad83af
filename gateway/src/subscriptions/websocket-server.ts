import { InvalidTokenError, type TokenVerifier, type Viewer } from '@sky/auth';
import { ErrorCode, serviceUnavailable } from '@sky/errors';
import type { Logger } from '@sky/logging';
import { Deadline, serveGraphQLWebSocket, type DocumentLimits } from '@sky/server-kit';
import { GraphQLError, getOperationAST, type ExecutionResult } from 'graphql';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import {
  context as traceContext,
  inSpan,
  linkTo,
  ROOT_CONTEXT,
  SpanKind,
  trace,
  traceCarrier,
  tracer,
  withService,
  type TraceCarrier,
} from '@sky/telemetry';
import { SharedCompletions } from './shared-completions.ts';
import type { SubscriptionPlanner } from './subscription-planner.ts';
import type { UpstreamConnections, UpstreamEvent } from './upstream.ts';

/** Close codes: 4401 for a bad or expired token (graphql-ws uses 4403 for refused connections). */
const CLOSE_UNAUTHORIZED = 4401;

interface ConnectionState {
  viewer: Viewer | null;
  clientAddress: string;
  expiryTimer?: NodeJS.Timeout;
  /** Ends every active subscription of the connection with this error before it closes. */
  failAll: Set<(error: GraphQLError) => void>;
  /** Ends every subscription with UNAUTHENTICATED, then closes the socket with 4401. */
  expire: () => void;
}

export interface SubscriptionServerOptions {
  httpServer: Server;
  path: string;
  planner: SubscriptionPlanner;
  upstream: UpstreamConnections;
  verifier: TokenVerifier;
  logger: Logger;
  /** The same limits as the HTTP path (message size, tokens, depth, aliases, cost, sockets). */
  limits: DocumentLimits;
  clientAddress: (request: IncomingMessage) => string;
  /** Subgraph URL by name (the supergraph's, with configured overrides). */
  subgraphUrl: (name: string) => string;
  /** The budget of each event's entity fetches (REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** The handshake's Origin check (browsers let any page open a socket to any host). */
  isAllowedOrigin: (request: IncomingMessage) => boolean;
}

/** The W3C context a subgraph sent with a subscription event (its event span's). */
function traceContextOf(event: UpstreamEvent): TraceCarrier | null {
  const carrier = event.extensions?.traceContext;
  return typeof carrier === 'object' && carrier !== null ? (carrier as TraceCarrier) : null;
}

/** Errors that arrived as JSON from a subgraph, made GraphQLErrors again (codes kept). */
const asGraphQLError = (error: {
  message: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}) =>
  error instanceof GraphQLError
    ? error
    : new GraphQLError(error.message, { path: error.path, extensions: error.extensions });

const errorResult = (code: string, message: string): ExecutionResult => ({
  errors: [new GraphQLError(message, { extensions: { code } })],
});

/** Seconds a client waits before subscribing again after the owning subgraph went away. */
const RESUBSCRIBE_AFTER_SECONDS = 1;

/**
 * Whether an upstream subscription ended because the owning subgraph went away (its socket
 * closed, it refused or reset the connection: an instance stopped or died), not because of a bug.
 * graphql-ws rejects with the socket's close event (a numeric `code`) or its error event.
 */
const isUpstreamGone = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { code, type } = error as { code?: unknown; type?: unknown };
  return (
    typeof code === 'number' ||
    type === 'error' ||
    (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'].includes(code))
  );
};

/**
 * The gateway's graphql-ws layer on its own `/graphql` path: it takes a client's subscription,
 * subscribes to the owning subgraph's part upstream with the client's token, and completes each
 * event with the fields other subgraphs own, as the subscriber.
 */
export function attachSubscriptionServer(options: SubscriptionServerOptions) {
  const states = new WeakMap<object, ConnectionState>();
  const completions = new SharedCompletions();

  const server = serveGraphQLWebSocket<
    Record<string, unknown> | undefined,
    { state?: ConnectionState }
  >({
    httpServer: options.httpServer,
    path: options.path,
    limits: options.limits.settings,
    clientAddress: options.clientAddress,
    isAllowedOrigin: options.isAllowedOrigin,
    logger: options.logger,
    graphqlWs: {
      onConnect: (ctx) => {
        const header = ctx.connectionParams?.authorization;
        let viewer: Viewer | null;
        try {
          viewer = options.verifier.viewerFromHeader(
            typeof header === 'string' ? header : undefined,
          );
        } catch (error) {
          if (!(error instanceof InvalidTokenError)) throw error;
          ctx.extra.socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized: invalid or expired token');
          return false;
        }
        let expired = false;
        const state: ConnectionState = {
          viewer,
          clientAddress: ctx.extra.clientAddress,
          failAll: new Set(),
          expire: () => {
            if (expired) return;
            expired = true;
            for (const fail of state.failAll) {
              fail(
                new GraphQLError('The access token is invalid or expired.', {
                  extensions: { code: ErrorCode.UNAUTHENTICATED },
                }),
              );
            }
            // Let the error messages go out before the close frame.
            setTimeout(
              () => ctx.extra.socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized: token expired'),
              50,
            );
          },
        };
        if (viewer) {
          const msLeft = viewer.expiresAt * 1000 - Date.now();
          state.expiryTimer = setTimeout(state.expire, Math.max(0, msLeft));
        }
        states.set(ctx.extra, state);
        ctx.extra.state = state;
        return true;
      },
      onClose: (ctx) => {
        const state = states.get(ctx.extra);
        if (state?.expiryTimer) clearTimeout(state.expiryTimer);
      },
      // The subscription slot is taken by the kit before this runs (see serveGraphQLWebSocket).
      onSubscribe: (ctx, _id, payload) => {
        const checked = options.limits.checkRequest(options.planner.apiSchema, payload);
        if ('errors' in checked) return checked.errors;
        const document = checked.document;
        const operation = getOperationAST(document, payload.operationName ?? undefined);
        if (operation?.operation !== 'subscription') {
          return [
            new GraphQLError(
              'Send queries and mutations over HTTP; this socket serves subscriptions.',
              {
                extensions: { code: ErrorCode.BAD_REQUEST },
              },
            ),
          ];
        }
        return {
          schema: options.planner.apiSchema,
          document,
          variableValues: payload.variables ?? {},
          operationName: payload.operationName ?? undefined,
          contextValue: ctx.extra.state,
        };
      },
      subscribe: (args) => {
        const state = args.contextValue as ConnectionState;
        return subscribeThroughSupergraph(
          options,
          completions,
          state,
          args.document,
          args.operationName ?? undefined,
          (args.variableValues ?? {}) as Record<string, unknown>,
        );
      },
      execute: () => errorResult(ErrorCode.BAD_REQUEST, 'Send queries and mutations over HTTP.'),
    },
  });
  return {
    close: server.close,
    connectionCount: server.connectionCount,
    subscriptionCount: server.subscriptionCount,
  };
}

/**
 * One client subscription: the owning subgraph's part upstream, each event completed through the
 * supergraph. An explicit iterator, so that the client unsubscribing ends the upstream
 * subscription immediately.
 */
function subscribeThroughSupergraph(
  options: SubscriptionServerOptions,
  completions: SharedCompletions,
  state: ConnectionState,
  document: Parameters<SubscriptionPlanner['plan']>[0],
  operationName: string | undefined,
  variables: Record<string, unknown>,
): AsyncIterableIterator<ExecutionResult> {
  const requestId = randomUUID();
  const logger = options.logger.child({ requestId, userId: state.viewer?.userId });
  const planned = options.planner.plan(document, operationName, variables);
  const completionKey = completions.subscriptionKey(
    document,
    operationName,
    variables,
    state.viewer?.token ?? null,
  );
  const context = { requestId, viewer: state.viewer, logger, clientAddress: state.clientAddress };
  const operation = operationName ?? 'anonymous';
  // The subscribe span is short (planning, opening upstream); each event gets a span of its own.
  const subscribeSpan = tracer.startSpan(
    `graphql-ws subscribe ${operation}`,
    { kind: SpanKind.SERVER, attributes: { 'sky.request_id': requestId } },
    withService(ROOT_CONTEXT, 'gateway'),
  );
  const subscribeContext = trace.setSpan(withService(ROOT_CONTEXT, 'gateway'), subscribeSpan);
  const upstream = options.upstream.open(
    options.subgraphUrl(planned.primary.serviceName),
    state.viewer?.token ?? null,
    {
      query: planned.primary.operation,
      variables: planned.primaryVariables,
      operationName: planned.primary.operationName,
    },
    { requestId, traceContext: traceCarrier(subscribeContext) },
  );
  traceContext.with(subscribeContext, () =>
    logger.info({ subgraph: planned.primary.serviceName }, 'subscription started'),
  );
  subscribeSpan.end();
  // The expiry timer interrupts a pending wait for the next upstream event: leaving upstream
  // ends that wait. (Not a race against a promise of the interruption: every race would add a
  // reaction to that never-settling promise, one more per event for the subscription's life.)
  let interruptedBy: GraphQLError | null = null;
  const interrupt = (error: GraphQLError) => {
    if (interruptedBy) return;
    interruptedBy = error;
    void upstream.return?.();
  };
  state.failAll.add(interrupt);
  let finished = false;
  const finish = async () => {
    if (finished) return;
    finished = true;
    state.failAll.delete(interrupt);
    await upstream.return?.();
    logger.info('subscription ended');
  };
  const done = { done: true, value: undefined } as const;
  const last = async (result: ExecutionResult): Promise<IteratorResult<ExecutionResult>> => {
    await finish();
    // Deliver this result; the next call ends the stream.
    return { done: false, value: result };
  };
  /** After the token expired: deliver the error, then hold the stream open until the socket closes. */
  let closing: Promise<void> | null = null;
  let releaseClosing: () => void = () => {};
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next: async () => {
      if (closing) {
        await closing;
        return done;
      }
      if (finished) return done;
      try {
        const next = interruptedBy ? null : await upstream.next();
        if (interruptedBy || !next) {
          // Not completed: the client must see the 4401 close, not a normal end of stream.
          closing = new Promise((resolve) => (releaseClosing = resolve));
          return { done: false, value: { errors: [interruptedBy!] } };
        }
        if (next.done) {
          await finish();
          return done;
        }
        const event = next.value;
        // A refusal from the owning subgraph (FORBIDDEN, UNAUTHENTICATED, ...) ends the stream.
        if (!event.data) return last({ errors: (event.errors ?? []).map(asGraphQLError) });
        // Each event is a new piece of work with a budget of its own, and a span linked to the
        // subgraph's span for the same event, itself linked to the change; subscribers with the
        // same document as the same principal share one completion of the same event.
        const completed = await completions.complete(completionKey, event, () =>
          inSpan(
            `graphql-ws event ${operation}`,
            {
              kind: SpanKind.PRODUCER,
              parent: ROOT_CONTEXT,
              service: 'gateway',
              links: linkTo(traceContextOf(event)),
              attributes: { 'sky.request_id': requestId },
            },
            () =>
              planned.complete(event, {
                ...context,
                deadline: new Deadline(options.requestTimeoutMs),
              }),
          ),
        );
        return { done: false, value: completed };
      } catch (error) {
        if (finished) return done;
        // The owning subgraph refused the subscription when it started (graphql-ws's `error`
        // message: RATE_LIMITED, BAD_USER_INPUT, ...): its coded errors reach the client as they
        // are, masked like any other, instead of as an unexplained internal error.
        if (Array.isArray(error) && error.length > 0) {
          logger.info({ errors: error }, 'upstream refused the subscription');
          return last({ errors: error.map(asGraphQLError) });
        }
        logger.warn({ err: error }, 'upstream subscription failed');
        const closeCode = (error as { code?: number }).code;
        if (closeCode === CLOSE_UNAUTHORIZED) {
          // The subgraph refused the token (it expired a moment before our own timer fired):
          // end the whole connection the same way, the error first, then the 4401 close.
          closing = new Promise((resolve) => (releaseClosing = resolve));
          state.expire();
          return {
            done: false,
            value: errorResult(
              ErrorCode.UNAUTHENTICATED,
              'The access token is invalid or expired.',
            ),
          };
        }
        if (isUpstreamGone(error)) {
          // An outage, not a bug: subscribing again reaches another instance (or this one once
          // it is back), and its first message is the current state.
          return last({
            errors: [
              serviceUnavailable(
                'The live updates were interrupted; subscribe again.',
                RESUBSCRIBE_AFTER_SECONDS,
                'UNREACHABLE',
              ),
            ],
          });
        }
        return last(
          errorResult(ErrorCode.INTERNAL_SERVER_ERROR, 'The subscription ended unexpectedly.'),
        );
      }
    },
    return: async () => {
      releaseClosing();
      await finish();
      return done;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
