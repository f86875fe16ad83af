import express, { type NextFunction, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from '@sky/logging';
import { InvalidTokenError, type TokenVerifier, type Viewer } from '@sky/auth';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '@sky/config';
import { ErrorCode } from '@sky/errors';
import { Deadline, DEADLINE_HEADER, runWithDeadline } from './resilience/deadline.ts';
import {
  context,
  contextFromCarrier,
  recordFailure,
  SpanKind,
  trace,
  tracer,
  withService,
} from '@sky/telemetry';

/** What the HTTP layer attaches to each request before GraphQL sees it. */
export interface RequestState {
  requestId: string;
  logger: Logger;
  viewer: Viewer | null;
  /** The caller's address (through trusted proxies only): throttles key on it. */
  clientAddress: string;
  /**
   * When the request must be done: this service's budget, shortened by the caller's
   * `x-request-timeout-ms`. Every call to another service passes on what is left. Absent for a
   * subscription, which lives as long as the client wants (each gateway event gets its own).
   */
  deadline?: Deadline;
}

declare module 'express-serve-static-core' {
  interface Request {
    sky: RequestState;
  }
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A fresh request id in the shape of a UUID (what logs and clients already expect): 20 random hex
 * digits per process, then a counter. Unique across processes without asking the CSPRNG per
 * request; nothing secret rides on it.
 */
export const newRequestId = (() => {
  // The first four groups of a random (version 4) UUID, the last group counts.
  const prefix = randomUUID().slice(0, 24);
  let counter = 0;
  return () => `${prefix}${(counter++ % 0x1000000000000).toString(16).padStart(12, '0')}`;
})();

/** A GraphQL-shaped error body, so that even transport refusals carry a stable code. */
export function sendGraphQLError(
  res: Response,
  status: number,
  code: ErrorCode,
  message: string,
  requestId: string,
): void {
  res
    .status(status)
    .type('application/json')
    .send(JSON.stringify({ errors: [{ message, extensions: { code, requestId } }] }));
}

/**
 * Assigns the request id (trusting a well-formed incoming `x-request-id`) and the deadline, logs
 * each request and traces it: the server span continues the caller's W3C `traceparent` (the
 * gateway's, another subgraph's) and is active for everything the request runs, its log lines
 * included. A request whose caller's budget is already spent is refused with 504
 * DEADLINE_EXCEEDED before any work: nobody is waiting for its answer.
 */
export function requestContext(
  logger: Logger,
  clientAddress: (req: Request) => string = (req) => req.socket.remoteAddress ?? 'unknown',
  {
    service = 'http',
    requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  }: { service?: string; requestTimeoutMs?: number } = {},
) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : newRequestId();
    // Read now: routers mounted on a path rewrite req.path while they handle the request.
    const path = req.path;
    const parent = withService(contextFromCarrier(req.headers), service);
    const span = tracer.startSpan(
      `${req.method} ${path}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': req.method,
          'url.path': path,
          'sky.request_id': requestId,
        },
      },
      parent,
    );
    const active = trace.setSpan(parent, span);
    // Body parsing resumes in the socket's callbacks, outside this middleware's async context:
    // listeners on the request and response run in the request's context instead.
    context.bind(active, req);
    context.bind(active, res);
    const requestLogger = logger.child({ requestId });
    const deadline = Deadline.fromHeader(req.header(DEADLINE_HEADER), requestTimeoutMs);
    req.sky = {
      requestId,
      logger: requestLogger,
      viewer: null,
      clientAddress: clientAddress(req),
      ...(deadline ? { deadline } : {}),
    };
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      // One line per request is traffic, not news: metrics count requests; an operator reads
      // server failures. LOG_LEVEL=debug shows every request.
      requestLogger[res.statusCode >= 500 ? 'warn' : 'debug'](
        { method: req.method, path, status: res.statusCode, durationMs },
        'request finished',
      );
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) recordFailure(span, new Error(`HTTP ${res.statusCode}`));
      span.end();
    });
    res.on('close', () => {
      if (!res.writableFinished) span.end();
    });
    if (!deadline) {
      requestLogger.info({ path }, 'refused: the caller spent the budget already');
      sendGraphQLError(
        res,
        504,
        ErrorCode.DEADLINE_EXCEEDED,
        'The request ran out of time.',
        requestId,
      );
      return;
    }
    context.with(active, next);
  };
}

/**
 * Parses JSON bodies with a size limit and turns body-parser refusals into GraphQL-shaped errors:
 * an oversized body is 413 PAYLOAD_TOO_LARGE, malformed JSON is 400 BAD_REQUEST.
 */
export function jsonBody(limitBytes: number) {
  const parse = express.json({ limit: limitBytes });
  return (req: Request, res: Response, next: NextFunction) => {
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large') {
        return sendGraphQLError(
          res,
          413,
          ErrorCode.PAYLOAD_TOO_LARGE,
          `Request body is larger than ${limitBytes} bytes.`,
          req.sky.requestId,
        );
      }
      return sendGraphQLError(
        res,
        400,
        ErrorCode.BAD_REQUEST,
        'Request body is not valid JSON.',
        req.sky.requestId,
      );
    });
  };
}

/** The `extensions` of a request: an object in a POST body, a JSON string in a GET query string. */
export function requestExtensions(payload: unknown): Record<string, unknown> | undefined {
  const extensions = (payload as { extensions?: unknown } | undefined)?.extensions;
  if (typeof extensions === 'string') {
    try {
      const parsed: unknown = JSON.parse(extensions);
      return typeof parsed === 'object' && parsed !== null
        ? (parsed as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  }
  return typeof extensions === 'object' && extensions !== null
    ? (extensions as Record<string, unknown>)
    : undefined;
}

/** A browser navigating to the endpoint: GET without a query, HTML preferred over JSON. */
function isLandingPageRequest(req: Request, payload: unknown): boolean {
  if (req.method !== 'GET' || (payload as { query?: unknown } | undefined)?.query !== undefined) {
    return false;
  }
  return (
    req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) ===
    'text/html'
  );
}

/**
 * Refuses requests that are not GraphQL requests before they reach the GraphQL server. A request
 * without a query is still one when it names a persisted query by hash (Apollo's automatic
 * persisted queries): Apollo then answers from its cache or with PERSISTED_QUERY_NOT_FOUND, so
 * the client falls back to sending the full query. A browser opening the endpoint is let through
 * to Apollo's landing page when the service serves one.
 */
export function requireGraphQLRequest(options: { landingPage: boolean }) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'POST' && req.method !== 'GET') {
      return sendGraphQLError(
        res,
        405,
        ErrorCode.BAD_REQUEST,
        'Use POST or GET.',
        req.sky.requestId,
      );
    }
    const payload: unknown = req.method === 'POST' ? req.body : req.query;
    if (Array.isArray(payload)) {
      return sendGraphQLError(
        res,
        400,
        ErrorCode.BAD_REQUEST,
        'Batched requests are not supported.',
        req.sky.requestId,
      );
    }
    if (options.landingPage && isLandingPageRequest(req, payload)) return next();
    // Apollo refuses these too, but before any plugin runs, so without the request id.
    const { variables, operationName } = payload as {
      variables?: unknown;
      operationName?: unknown;
    };
    const isObject = (value: unknown) =>
      value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value));
    if (req.method === 'POST' && !isObject(variables)) {
      return sendGraphQLError(
        res,
        400,
        ErrorCode.BAD_REQUEST,
        '"variables" must be an object.',
        req.sky.requestId,
      );
    }
    if (
      operationName !== undefined &&
      operationName !== null &&
      typeof operationName !== 'string'
    ) {
      return sendGraphQLError(
        res,
        400,
        ErrorCode.BAD_REQUEST,
        '"operationName" must be a string.',
        req.sky.requestId,
      );
    }
    const query = (payload as { query?: unknown } | undefined)?.query;
    const persistedQuery = requestExtensions(payload)?.persistedQuery;
    if (query === undefined && typeof persistedQuery === 'object' && persistedQuery !== null) {
      return next();
    }
    if (typeof query !== 'string' || query.trim() === '') {
      return sendGraphQLError(
        res,
        400,
        ErrorCode.BAD_REQUEST,
        'A GraphQL request needs a non-empty "query" string (or a persisted query hash).',
        req.sky.requestId,
      );
    }
    next();
  };
}

/**
 * No Authorization header means anonymous; a bad one (forged, expired, wrong audience or issuer,
 * wrong algorithm) rejects the whole request with 401, even for public fields.
 */
export function authenticate(verifier: TokenVerifier) {
  return (req: Request, res: Response, next: NextFunction) => {
    try {
      req.sky.viewer = verifier.viewerFromHeader(req.header('authorization'));
      if (req.sky.viewer) req.sky.logger = req.sky.logger.child({ userId: req.sky.viewer.userId });
      next();
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      req.sky.logger.info({ reason: error.message }, 'rejected bad token');
      res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
      sendGraphQLError(
        res,
        401,
        ErrorCode.UNAUTHENTICATED,
        'The access token is invalid or expired.',
        req.sky.requestId,
      );
    }
  };
}

/**
 * Makes the request's deadline the current one for everything the next handlers start (resolvers,
 * services, internal calls). Mounted after body parsing: a stream's events would not keep it.
 */
export function enterRequestDeadline(req: Request, _res: Response, next: NextFunction): void {
  const deadline = req.sky.deadline;
  if (deadline) runWithDeadline(deadline, next);
  else next();
}

/** Last-resort handler: a failure outside GraphQL still answers JSON without internals. */
export function unexpectedErrorHandler(
  error: unknown,
  req: Request,
  res: Response,
  _next: NextFunction,
): void {
  const requestId = req.sky?.requestId ?? newRequestId();
  req.sky?.logger.error({ err: error }, 'unhandled HTTP error');
  if (res.headersSent) return;
  sendGraphQLError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error.', requestId);
}
