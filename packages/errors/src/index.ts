import { GraphQLError } from 'graphql';

/**
 * The stable error codes of the API (docs/architecture.md, section 6). Extend this list, never
 * rename an entry: frontend teams branch on these strings.
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_REQUEST: 'BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  INVALID_STATE_TRANSITION: 'INVALID_STATE_TRANSITION',
  CONFLICT: 'CONFLICT',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  SHOP_CLOSED: 'SHOP_CLOSED',
  OUT_OF_DELIVERY_RANGE: 'OUT_OF_DELIVERY_RANGE',
  BELOW_MINIMUM_ORDER: 'BELOW_MINIMUM_ORDER',
  ITEM_UNAVAILABLE: 'ITEM_UNAVAILABLE',
  SOLD_OUT: 'SOLD_OUT',
  PAYMENT_DECLINED: 'PAYMENT_DECLINED',
  INVALID_SIGNATURE: 'INVALID_SIGNATURE',
  RATE_LIMITED: 'RATE_LIMITED',
  /** Apollo's code for a persisted query hash the server does not know: send the full query. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** The gateway only runs operations from its trusted documents manifest. */
  TRUSTED_DOCUMENT_REQUIRED: 'TRUSTED_DOCUMENT_REQUIRED',
  /** A part the request needs is not configured or not reachable now (HTTP 503): retry later. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /**
   * The request's time budget (the gateway's REQUEST_TIMEOUT_MS, carried between services as
   * `x-request-timeout-ms`) ran out before this part was done: retrying at once rarely helps.
   */
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
  /** An after-sale refund requested after the window that follows completion has closed. */
  REFUND_WINDOW_CLOSED: 'REFUND_WINDOW_CLOSED',
  /** Another after-sale refund request of the order is still open (pending or being paid). */
  REFUND_REQUEST_OPEN: 'REFUND_REQUEST_OPEN',
  /** More items or money than the order has left to refund (`extensions.refundable`). */
  REFUND_EXCEEDS_REFUNDABLE: 'REFUND_EXCEEDS_REFUNDABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** An image upload whose declared or actual content is not an allowed image type. */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** An image upload whose URL expired before the file arrived. */
  UPLOAD_EXPIRED: 'UPLOAD_EXPIRED',
  /** A single-use upload URL sent a second time. */
  UPLOAD_ALREADY_USED: 'UPLOAD_ALREADY_USED',
  /** An image upload that is not complete yet (no file received, or not confirmed). */
  UPLOAD_INCOMPLETE: 'UPLOAD_INCOMPLETE',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

export const isKnownErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === 'string' && KNOWN_CODES.has(code);

/** A refusal the client may see: message and code are part of the contract. */
export function domainError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

export const unauthenticated = (message = 'Sign in to do this.') =>
  domainError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = 'You are not allowed to do this.') =>
  domainError(ErrorCode.FORBIDDEN, message);
export const notFound = (what: string) => domainError(ErrorCode.NOT_FOUND, `${what} not found.`);
export const badUserInput = (message: string, field?: string) =>
  domainError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
export const conflict = (message: string) => domainError(ErrorCode.CONFLICT, message);
/**
 * A part the request needs is down, overloaded or behind an open circuit breaker. `reason` says
 * which kind (`SUBGRAPH_DOWN`, `CIRCUIT_OPEN`, `DATABASE_POOL_EXHAUSTED`, ...) for dashboards and
 * for a client that wants to tell them apart; `retryAfterSeconds` is when trying again may help.
 */
export const serviceUnavailable = (message: string, retryAfterSeconds: number, reason: string) =>
  domainError(ErrorCode.SERVICE_UNAVAILABLE, message, { reason, retryAfterSeconds });
export const deadlineExceeded = (message = 'The request ran out of time.') =>
  domainError(ErrorCode.DEADLINE_EXCEEDED, message);
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  domainError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds });
export * from './text.ts';
