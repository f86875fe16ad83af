import type { ResilienceSettings } from '@sky/config';
import type { Logger } from '@sky/logging';
import type { Registry } from 'prom-client';
import { deadlineExceeded, serviceUnavailable } from '@sky/errors';
import { GraphQLError } from 'graphql';
import { setTimeout as sleep } from 'node:timers/promises';
import { isClientFacing } from '../apollo-plugins.ts';
import { CircuitBreakers, CircuitOpenError } from './circuit-breakers.ts';
import type { Deadline } from './deadline.ts';

/** A peer answered with a status that means "not now" (a proxy's 502/503/504, a draining peer). */
export class UpstreamStatusError extends Error {
  override name = 'UpstreamStatusError';
  constructor(
    readonly target: string,
    readonly status: number,
  ) {
    super(`${target} answered HTTP ${status}`);
  }
}

/** How long a client should wait after a transient failure of a peer (refused, reset, timeout). */
const TRANSIENT_RETRY_AFTER_SECONDS = 1;
const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);
const TRANSPORT_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

function* causes(error: unknown): Generator<unknown> {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}

/** The call was cut off by its timer (the per-call cap or the request's budget). */
export const isAbort = (error: unknown): boolean =>
  [...causes(error)].some((e) => ['TimeoutError', 'AbortError'].includes((e as Error)?.name));

/** The peer could not be reached or said "not now": the kind of failure a retry may get past. */
export const isTransportFailure = (error: unknown): boolean =>
  [...causes(error)].some(
    (e) =>
      (e instanceof UpstreamStatusError && UNAVAILABLE_STATUSES.has(e.status)) ||
      TRANSPORT_ERROR_CODES.has(String((e as { code?: unknown })?.code)),
  );

/** A refusal with a stable code (SOLD_OUT, DEADLINE_EXCEEDED from the peer): the peer works. */
const isCodedRefusal = (error: unknown): boolean =>
  error instanceof GraphQLError && isClientFacing(error.extensions.code);

/**
 * What a client sees of a peer's outage: SERVICE_UNAVAILABLE with a retry hint (never
 * INTERNAL_SERVER_ERROR), or DEADLINE_EXCEEDED when the request's own budget is what ran out.
 * Anything else (a bug, an answer outside its contract) is returned unchanged.
 */
export function outageError(error: unknown, deadline: Deadline | undefined): unknown {
  const unavailable = 'This part of the service is temporarily unavailable; try again later.';
  if (error instanceof CircuitOpenError) {
    return serviceUnavailable(unavailable, error.retryAfterSeconds, 'CIRCUIT_OPEN');
  }
  if (isAbort(error)) {
    return deadline?.expired
      ? deadlineExceeded()
      : serviceUnavailable(unavailable, TRANSIENT_RETRY_AFTER_SECONDS, 'TOO_SLOW');
  }
  if (isTransportFailure(error)) {
    return serviceUnavailable(unavailable, TRANSIENT_RETRY_AFTER_SECONDS, 'UNREACHABLE');
  }
  return error;
}

export interface RemoteCallOptions {
  /** Whose breaker guards the call: a subgraph's name, `payment-provider`, ... */
  target: string;
  /**
   * Safe to send twice: a read, or a write made idempotent by a key. Only these are retried, and
   * only after a transport failure (refused, reset, 502/503/504), never after a timeout: a slow
   * peer is not helped by more load.
   */
  idempotent: boolean;
  /** The request's budget, if the call is made for a request. */
  deadline?: Deadline;
  /** The longest one attempt may take, whatever the budget (the peer's own timeout). */
  timeoutMs: number;
}

/**
 * Every remote call of a service goes through here: it is refused at once when the request's
 * budget is spent, guarded by its target's circuit breaker, given the smaller of its own timeout
 * and the remaining budget, retried with jittered exponential backoff when idempotent, and its
 * failure turned into a coded error (`outageError`).
 */
export class RemoteCalls {
  constructor(
    private readonly settings: ResilienceSettings,
    readonly breakers: CircuitBreakers,
  ) {}

  async call<T>(
    options: RemoteCallOptions,
    attempt: (timeoutMs: number) => Promise<T>,
  ): Promise<T> {
    const { deadline } = options;
    for (let retry = 0; ; retry++) {
      if (deadline?.expired) throw deadlineExceeded();
      const budgetMs = attemptBudgetMs(options.timeoutMs, deadline);
      // Cut off by the caller's shorter budget, an attempt says nothing about the peer's health.
      const callersBudget = budgetMs < options.timeoutMs;
      try {
        return await this.breakers.run(
          options.target,
          () => attempt(budgetMs),
          (error) => !isCodedRefusal(error) && !(callersBudget && isAbort(error)),
        );
      } catch (error) {
        // Full jitter (a random wait up to the exponential step) keeps retrying clients apart.
        const delayMs = Math.random() * this.settings.retry.baseDelayMs * 2 ** retry;
        const retryable =
          options.idempotent &&
          retry < this.settings.retry.attempts &&
          isTransportFailure(error) &&
          (deadline?.remainingMs() ?? Infinity) > delayMs;
        if (!retryable) throw outageError(error, deadline);
        await sleep(delayMs);
      }
    }
  }
}

/**
 * The remote calls of one service: its breakers (exported on `registry` when given: the
 * service's own metrics registry) and its retry policy.
 */
export function createRemoteCalls(
  settings: ResilienceSettings,
  options: { registry?: Registry; logger?: Logger } = {},
): RemoteCalls {
  return new RemoteCalls(settings, new CircuitBreakers(settings.breaker, options));
}

/** What one attempt may take: its own cap, or less when the request has less left. */
export const attemptBudgetMs = (timeoutMs: number, deadline: Deadline | undefined): number =>
  Math.min(timeoutMs, deadline?.remainingMs() ?? Infinity);
