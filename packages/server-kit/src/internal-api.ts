import type {
  EndpointRequest,
  EndpointResponse,
  InternalEndpoint,
  ParsedEndpointRequest,
  ParsedEndpointResponse,
  SubgraphName,
} from '@sky/contracts';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { GraphQLError } from 'graphql';
import { timingSafeEqual } from 'node:crypto';
import { badUserInput, deadlineExceeded, ErrorCode, isKnownErrorCode } from '@sky/errors';
import { inSpan, SpanKind, traceCarrier, type ServiceMetrics } from '@sky/telemetry';
import { enterRequestDeadline, jsonBody, sendGraphQLError } from './http-app.ts';
import { isServerFault } from './apollo-plugins.ts';
import { currentDeadline, DEADLINE_HEADER } from './resilience/deadline.ts';
import {
  attemptBudgetMs,
  outageError,
  UpstreamStatusError,
  type RemoteCalls,
} from './resilience/remote-calls.ts';

/** Internal requests carry an order's lines at most: far below this. */
const INTERNAL_BODY_LIMIT_BYTES = 1_000_000;

/**
 * Internal endpoints (`POST /internal/<name>`) serve other subgraphs only: they are not part of
 * the public GraphQL API, the gateway never routes to them, and every call must carry the shared
 * service token (`INTERNAL_API_TOKEN`). Each has one contract (@sky/contracts): the callee parses
 * the request with it before its handler runs, the caller parses the answer with it. Errors
 * travel as `{ error: { code, message } }` so a domain refusal (SOLD_OUT, SHOP_CLOSED, ...)
 * reaches the public caller with its code intact.
 */

/** One implemented endpoint, ready to mount. */
export interface InternalRoute {
  name: string;
  handle(body: unknown, request: { requestId: string }): Promise<unknown>;
}

/**
 * Parses a body with a contract's schema; the first problem becomes BAD_USER_INPUT naming its
 * path (`items.0.quantity`), so a caller that breaks the contract learns where.
 */
function parseRequest<E extends InternalEndpoint>(endpoint: E, body: unknown) {
  const result = endpoint.request.safeParse(body);
  // A generic schema's output type is only known through `E`; this is what it just parsed.
  if (result.success) return result.data as ParsedEndpointRequest<E>;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.');
  throw badUserInput(`${field || 'body'}: ${issue.message}`, field || undefined);
}

/** The callee's side of `endpoint`: `handle` gets the parsed request and answers the response. */
export function implement<E extends InternalEndpoint>(
  endpoint: E,
  handle: (
    input: ParsedEndpointRequest<E>,
    request: { requestId: string },
  ) => Promise<EndpointResponse<E>>,
): InternalRoute {
  return {
    name: endpoint.name,
    handle: (body, request) => handle(parseRequest(endpoint, body), request),
  };
}

/** Whether an `Authorization` header carries `expected` as its (bearer) token, in constant time. */
export function tokenMatches(expected: string, header: string | undefined): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

export function mountInternalApi(
  app: Express,
  token: string,
  routes: readonly InternalRoute[],
): void {
  const router = express.Router();
  // The token first: a caller without it gets nothing parsed, however large its body.
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (tokenMatches(token, req.header('authorization'))) return next();
    req.sky.logger.warn({ path: req.path }, 'internal call without a valid service token');
    sendGraphQLError(
      res,
      401,
      ErrorCode.UNAUTHENTICATED,
      'Service token required.',
      req.sky.requestId,
    );
  });
  // Oversized and malformed bodies are the caller's fault (413, 400), not an internal error.
  router.use(jsonBody(INTERNAL_BODY_LIMIT_BYTES));
  router.use(enterRequestDeadline);
  for (const { name, handle } of routes) {
    router.post(`/${name}`, async (req, res) => {
      try {
        res.json({ data: await handle(req.body, { requestId: req.sky.requestId }) });
      } catch (error) {
        const code = error instanceof GraphQLError ? error.extensions.code : undefined;
        if (isKnownErrorCode(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
          res.status(422).json({
            error: {
              code,
              message: (error as Error).message,
              extensions: (error as GraphQLError).extensions,
            },
          });
          return;
        }
        req.sky.logger.error({ err: error, internal: name }, 'internal call failed');
        res
          .status(500)
          .json({ error: { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'Internal error.' } });
      }
    });
  }
  app.use('/internal', router);
}

export interface InternalClientOptions {
  /** The other subgraph's GraphQL URL (`.../graphql`); internal endpoints live beside it. */
  baseUrl: string;
  token: string;
  /** The longest one attempt may take (the request's remaining budget may be shorter). */
  timeoutMs: number;
  /**
   * The circuit breakers and retry policy of this process's remote calls, and the callee's name
   * (whose breaker). Without them (tests sending what a contract forbids) a call is one attempt.
   */
  calls?: RemoteCalls;
  callee?: SubgraphName;
  /** The caller's metrics: each call is counted and timed per callee and endpoint. */
  metrics?: ServiceMetrics;
}

/** Where a subgraph calls `callee` from its settings (`SUBGRAPH_<NAME>_URL`, the service token). */
export function internalClientOptions(
  settings: { token: string; timeoutMs: number; subgraphUrls: Record<string, string> },
  callee: SubgraphName,
  { calls, metrics }: { calls?: RemoteCalls; metrics?: ServiceMetrics } = {},
): InternalClientOptions {
  const baseUrl = settings.subgraphUrls[callee];
  if (!baseUrl) {
    throw new Error(
      `SUBGRAPH_${callee.toUpperCase()}_URL is not configured; ${callee} cannot be called.`,
    );
  }
  return { baseUrl, token: settings.token, timeoutMs: settings.timeoutMs, calls, callee, metrics };
}

/** Refusals whose code the callee meant for the public caller (a domain rule, a spent budget). */
const PASSED_ON_STATUSES = new Set([422, 504]);

/**
 * Posts a body to another subgraph's internal endpoint and answers its `data` unchecked;
 * refusals come back as GraphQLErrors. The remaining budget of the request being served (if
 * any) goes with it as `x-request-timeout-ms` and cuts the call off when spent. Code calls
 * `callInternal` with a contract; this is for tests that send what a contract forbids.
 */
export function requestInternal(
  options: InternalClientOptions,
  name: string,
  body: unknown,
  requestId?: string,
  { idempotent = false }: { idempotent?: boolean } = {},
): Promise<unknown> {
  const url = options.baseUrl.replace(/\/graphql\/?$/, '') + `/internal/${name}`;
  const target = options.callee ?? new URL(url).host;
  // A client span whose W3C context goes with every attempt: the callee's server span is its child.
  return inSpan(
    `internal ${name}`,
    { kind: SpanKind.CLIENT, attributes: { 'server.address': url } },
    async (span) => {
      const attempt = async (timeoutMs: number): Promise<unknown> => {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${options.token}`,
            [DEADLINE_HEADER]: String(timeoutMs),
            ...(requestId ? { 'x-request-id': requestId } : {}),
            ...traceCarrier(),
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        span.setAttribute('http.response.status_code', response.status);
        const payload: unknown = await response.json().catch(() => ({}));
        const answer = (typeof payload === 'object' && payload !== null ? payload : {}) as {
          data?: unknown;
          error?: { code?: unknown; message?: unknown; extensions?: Record<string, unknown> };
        };
        if (response.ok && 'data' in answer) return answer.data;
        const refusal = answer.error;
        if (refusal && isKnownErrorCode(refusal.code) && PASSED_ON_STATUSES.has(response.status)) {
          throw new GraphQLError(String(refusal.message), {
            extensions: { ...refusal.extensions, code: refusal.code },
          });
        }
        throw new UpstreamStatusError(`internal call ${name}`, response.status);
      };
      const deadline = currentDeadline();
      if (options.calls) {
        return options.calls.call(
          { target, idempotent, deadline, timeoutMs: options.timeoutMs },
          attempt,
        );
      }
      if (deadline?.expired) throw deadlineExceeded();
      try {
        return await attempt(attemptBudgetMs(options.timeoutMs, deadline));
      } catch (error) {
        throw outageError(error, deadline);
      }
    },
  );
}

/**
 * Calls another subgraph's internal endpoint under its contract: the body is typed by the
 * request schema, the answer parsed with the response schema (an answer outside the contract is
 * an internal error, never passed on). Refusals come back as GraphQLErrors with their codes.
 */
export async function callInternal<E extends InternalEndpoint>(
  endpoint: E,
  options: InternalClientOptions,
  body: EndpointRequest<E>,
  requestId?: string,
): Promise<ParsedEndpointResponse<E>> {
  const call = () => callUnmeasured(endpoint, options, body, requestId);
  if (!options.metrics) return call();
  // A domain refusal (SOLD_OUT, NOT_FOUND, ...) is an answer, not a failure of the call.
  return options.metrics.internalCalls.measure(
    { target: options.callee ?? 'unknown', endpoint: endpoint.name },
    call,
    { refusal: (error) => error instanceof GraphQLError && !isServerFault(error.extensions.code) },
  );
}

async function callUnmeasured<E extends InternalEndpoint>(
  endpoint: E,
  options: InternalClientOptions,
  body: EndpointRequest<E>,
  requestId?: string,
): Promise<ParsedEndpointResponse<E>> {
  const data = await requestInternal(options, endpoint.name, body, requestId, {
    idempotent: endpoint.idempotent,
  });
  const result = endpoint.response.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `${issue.path.join('.') || '(answer)'}: ${issue.message}`)
      .join('; ');
    throw new Error(`internal call ${endpoint.name} answered outside its contract: ${problems}`);
  }
  // As in parseRequest: the output of exactly this schema, known to TypeScript only through `E`.
  return result.data as ParsedEndpointResponse<E>;
}
