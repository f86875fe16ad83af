import cors from 'cors';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { ErrorCode } from '@sky/errors';
import { sendGraphQLError } from '@sky/server-kit';

/** Origins a browser on this machine uses during development: any port on the loopback names. */
export const DEVELOPMENT_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*'];

/**
 * Request headers a browser may send cross-origin: the token, JSON bodies, our request id, the
 * headers Apollo Client adds (CSRF preflight marker, client awareness) and W3C trace context.
 */
const ALLOWED_REQUEST_HEADERS = [
  'authorization',
  'content-type',
  'x-request-id',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
  'traceparent',
  'tracestate',
];

/** Response headers a page may read: the request id, to quote in a bug report. */
const EXPOSED_RESPONSE_HEADERS = ['x-request-id'];

export interface CorsSettings {
  /** Exact origins (`https://app.example.com`), `*` in a host label or port, or `*` alone. */
  origins: string[];
  /** Whether pages may send cookies; tokens travel in the Authorization header, so off by default. */
  allowCredentials: boolean;
  /** How long a browser may cache a preflight answer. */
  maxAgeSeconds: number;
}

const ORIGIN_PATTERN =
  /^https?:\/\/(\*|\[[0-9a-f:]+\]|[a-z0-9*-]+(\.[a-z0-9*-]+)*)(:(\d{1,5}|\*))?$/i;

/**
 * Checks a comma-separated CORS_ORIGINS value: every entry must be a bare origin (scheme, host,
 * optional port; no path), since browsers compare the Origin header exactly.
 */
export function parseOrigins(value: string): { origins: string[]; problems: string[] } {
  const origins = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const problems = origins
    .filter((origin) => origin !== '*' && !ORIGIN_PATTERN.test(origin))
    .map((origin) => `CORS_ORIGINS: "${origin}" is not an origin like https://app.example.com`);
  return { origins, problems };
}

const escapeRegExp = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** Turns the configured origins into one test; `*` matches within one host label or the port. */
export function originMatcher(origins: string[]): (origin: string) => boolean {
  if (origins.includes('*')) return () => true;
  const patterns = origins.map((origin) => {
    const portWildcard = origin.endsWith(':*');
    const hostPart = portWildcard ? origin.slice(0, -2) : origin;
    const host = escapeRegExp(hostPart.toLowerCase()).replace(/\*/g, '[a-z0-9-]+');
    // A browser leaves the default port out of Origin, so `:*` also matches no port.
    return new RegExp(`^${host}${portWildcard ? '(:\\d{1,5})?' : ''}$`);
  });
  return (origin) => patterns.some((pattern) => pattern.test(origin.toLowerCase()));
}

/**
 * CORS for /graphql with the `cors` package. A disallowed origin gets no Access-Control-* header
 * (the browser then withholds the answer from the page), and its preflight is refused outright.
 */
export function corsMiddleware(settings: CorsSettings): RequestHandler {
  const isAllowed = originMatcher(settings.origins);
  const allowed = cors({
    origin: true,
    credentials: settings.allowCredentials,
    maxAge: settings.maxAgeSeconds,
    methods: ['GET', 'POST'],
    allowedHeaders: ALLOWED_REQUEST_HEADERS,
    exposedHeaders: EXPOSED_RESPONSE_HEADERS,
  });
  return (req: Request, res: Response, next: NextFunction) => {
    // Answers differ by Origin even when none is allowed, so shared caches must key on it.
    res.vary('Origin');
    const origin = req.header('origin');
    if (origin === undefined) return next();
    if (isAllowed(origin)) return allowed(req, res, next);
    if (req.method === 'OPTIONS') {
      req.sky.logger.info({ origin }, 'refused CORS preflight from a disallowed origin');
      return sendGraphQLError(
        res,
        403,
        ErrorCode.FORBIDDEN,
        'This origin is not allowed to call the API.',
        req.sky.requestId,
      );
    }
    next();
  };
}

/**
 * The WebSocket handshake has no CORS: a page on any site may open a socket, so the upgrade
 * checks Origin against the same list. No Origin header means a non-browser client, and a page
 * served by the gateway itself (the offline explorer) is same-origin.
 */
export function websocketOriginCheck(
  settings: CorsSettings,
): (request: IncomingMessage) => boolean {
  const isAllowed = originMatcher(settings.origins);
  return (request) => {
    const origin = request.headers.origin;
    if (origin === undefined) return true;
    if (isAllowed(origin)) return true;
    try {
      return new URL(origin).host === request.headers.host;
    } catch {
      return false;
    }
  };
}
