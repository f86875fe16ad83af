import { InvalidTokenError, type TokenVerifier, type Viewer } from '@sky/auth';
import type { Logger } from '@sky/logging';
import { ErrorCode } from '@sky/errors';
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  GraphQLError,
  Kind,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import {
  causeOf,
  contextFromCarrier,
  inSpan,
  linkTo,
  ROOT_CONTEXT,
  SpanKind,
  traceCarrier,
} from '@sky/telemetry';
import type { RequestState } from './http-app.ts';
import { clientAddressResolver } from './limits/client-address.ts';
import type { DocumentLimits } from './limits/document-limits.ts';
import { serveGraphQLWebSocket } from './limits/websocket.ts';

const CLOSE_UNAUTHORIZED = 4401;

/**
 * A subgraph serves its own subscriptions over graphql-ws on `/graphql` and authorizes the
 * subscriber itself (the gateway forwards the client's token in `connectionParams`). Each event
 * is executed with a fresh context (fresh DataLoaders, rules evaluated again), so an event never
 * shows data the subscriber has lost the right to see.
 */
export function attachSubgraphSubscriptions<Context>(options: {
  httpServer: Server;
  schema: GraphQLSchema;
  verifier: TokenVerifier;
  logger: Logger;
  limits: DocumentLimits;
  trustProxy: string;
  createContext: (state: RequestState) => Context;
  /** The service name on this server's spans. */
  service?: string;
  /** See `SubgraphDefinition.stateSubscriptions`. */
  stateSubscriptions?: readonly string[];
}) {
  const stateFields = new Set(options.stateSubscriptions ?? []);
  const expiryTimers = new WeakMap<object, NodeJS.Timeout>();
  const server = serveGraphQLWebSocket<
    Record<string, unknown> | undefined,
    { viewer?: Viewer | null }
  >({
    httpServer: options.httpServer,
    path: '/graphql',
    limits: options.limits.settings,
    clientAddress: clientAddressResolver(options.trustProxy),
    logger: options.logger,
    graphqlWs: {
      schema: options.schema,
      // The same parse, validation and cost limits as the HTTP path; queries and mutations
      // belong on HTTP, where the request pipeline (body limit, token check) applies.
      onSubscribe: (_ctx, _id, payload) => {
        const checked = options.limits.checkRequest(options.schema, payload);
        if ('errors' in checked) return checked.errors;
        const operationName = payload.operationName ?? undefined;
        if (getOperationAST(checked.document, operationName)?.operation !== 'subscription') {
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
          schema: options.schema,
          document: checked.document,
          variableValues: payload.variables ?? {},
          operationName,
        };
      },
      onConnect: (ctx) => {
        const header = ctx.connectionParams?.authorization;
        try {
          ctx.extra.viewer = options.verifier.viewerFromHeader(
            typeof header === 'string' ? header : undefined,
          );
        } catch (error) {
          if (!(error instanceof InvalidTokenError)) throw error;
          ctx.extra.socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized: invalid or expired token');
          return false;
        }
        const viewer = ctx.extra.viewer;
        if (viewer) {
          const timer = setTimeout(
            () => ctx.extra.socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized: token expired'),
            Math.max(0, viewer.expiresAt * 1000 - Date.now()),
          );
          expiryTimers.set(ctx.extra, timer);
        }
        return true;
      },
      onClose: (ctx) => clearTimeout(expiryTimers.get(ctx.extra)),
      context: (ctx, _id, payload) => {
        const requestId =
          typeof payload.extensions?.requestId === 'string'
            ? payload.extensions.requestId
            : randomUUID();
        // The gateway sends its subscribe span's W3C context beside the request id.
        const trace = payload.extensions?.traceContext;
        return {
          requestId,
          viewer: ctx.extra.viewer ?? null,
          clientAddress: ctx.extra.clientAddress,
          traceContext: typeof trace === 'object' && trace !== null ? trace : null,
        } as never;
      },
      subscribe: async (args) => {
        const { requestId, viewer, clientAddress, traceContext } = args.contextValue as {
          requestId: string;
          viewer: Viewer | null;
          clientAddress: string;
          traceContext: Record<string, string> | null;
        };
        const logger = options.logger.child({ requestId, userId: viewer?.userId });
        const freshContext = () =>
          options.createContext({ requestId, viewer, logger, clientAddress });
        const operation = args.operationName ?? 'anonymous';
        // Authorizing and starting the subscription: a span under the gateway's subscribe span.
        const stream = await inSpan(
          `graphql-ws subscribe ${operation}`,
          {
            kind: SpanKind.SERVER,
            parent: contextFromCarrier(traceContext),
            service: options.service,
            attributes: { 'sky.request_id': requestId },
          },
          () => createSourceEventStream({ ...args, contextValue: freshContext() }),
        );
        if (!(Symbol.asyncIterator in stream)) return stream as ExecutionResult;
        const stateStream = stateFields.has(rootFieldOf(args) ?? '');
        // Each event sent: a trace of its own linked to the change that caused it (the live
        // message's context); its W3C context goes out in the result's extensions, so the
        // gateway's span for the same event links to it in turn.
        return mapEvents(stream, (payload) =>
          inSpan(
            `graphql-ws event ${operation}`,
            {
              kind: SpanKind.PRODUCER,
              parent: ROOT_CONTEXT,
              service: options.service,
              links: linkTo(causeOf(payload)),
              attributes: { 'sky.request_id': requestId },
            },
            async () => {
              const result = await execute({
                ...args,
                rootValue: payload,
                contextValue: freshContext(),
              } as ExecutionArgs);
              const trace = traceCarrier();
              const extensions = {
                ...result.extensions,
                ...(trace.traceparent ? { traceContext: trace } : {}),
                ...(stateStream ? { [STATE_EVENT_EXTENSION]: true } : {}),
              };
              return Object.keys(extensions).length > 0 ? { ...result, extensions } : result;
            },
          ),
        );
      },
    },
  });
  return {
    close: server.close,
    connectionCount: server.connectionCount,
    subscriptionCount: server.subscriptionCount,
  };
}

/** Maps a source stream to results; `return()` reaches the source at once. */
/**
 * Marks an event of a state subscription: it carries the whole current state of what is
 * followed, so a subscriber joining late may be given the latest one as its first event (the
 * gateway shares one upstream subscription between identical subscribers that way).
 */
export const STATE_EVENT_EXTENSION = 'stateEvent';

/** The one root field of a subscription operation. */
function rootFieldOf(args: ExecutionArgs): string | undefined {
  const operation = getOperationAST(args.document, args.operationName ?? undefined);
  const first = operation?.selectionSet.selections[0];
  return first?.kind === Kind.FIELD ? first.name.value : undefined;
}

function mapEvents(
  source: AsyncIterable<unknown>,
  map: (payload: unknown) => ExecutionResult | Promise<ExecutionResult>,
): AsyncIterableIterator<ExecutionResult> {
  const inner = source[Symbol.asyncIterator]();
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next: async () => {
      const next = await inner.next();
      return next.done
        ? { done: true, value: undefined }
        : { done: false, value: await map(next.value) };
    },
    return: async () => {
      await inner.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
