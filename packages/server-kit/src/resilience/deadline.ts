import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The remaining time budget of a request in milliseconds, sent with every call to another
 * service. Relative, like gRPC's `grpc-timeout`, so the machines' clocks need not agree.
 */
export const DEADLINE_HEADER = 'x-request-timeout-ms';

/** When a request must be done: started from a budget, read as what is left of it. */
export class Deadline {
  private readonly expiresAt: number;

  constructor(budgetMs: number) {
    this.expiresAt = performance.now() + budgetMs;
  }

  remainingMs(): number {
    return Math.max(0, Math.floor(this.expiresAt - performance.now()));
  }

  get expired(): boolean {
    return this.remainingMs() <= 0;
  }

  /**
   * The budget an incoming request brings: the caller's `x-request-timeout-ms` when it is smaller
   * than ours (a caller never extends our budget, it can only shorten it), else ours. A header
   * of 0 or less means the caller has already given up: `null`, and the work is refused.
   */
  static fromHeader(header: string | undefined, ownBudgetMs: number): Deadline | null {
    const given = header === undefined || header.trim() === '' ? NaN : Number(header);
    if (!Number.isFinite(given)) return new Deadline(ownBudgetMs);
    if (given <= 0) return null;
    return new Deadline(Math.min(given, ownBudgetMs));
  }
}

/**
 * The deadline of the request being handled, for code far from the request (a service calling an
 * internal endpoint) without threading it through every signature: entered by the HTTP layer
 * just before GraphQL or an internal handler runs, so promise continuations of that request see
 * it, and event handlers (no request) see none.
 */
const requestDeadline = new AsyncLocalStorage<Deadline>();

export const currentDeadline = (): Deadline | undefined => requestDeadline.getStore();

export const runWithDeadline = <T>(deadline: Deadline, work: () => T): T =>
  requestDeadline.run(deadline, work);
