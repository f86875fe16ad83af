/**
 * In-flight deduplication of identical subgraph reads. While one fetch of a query is on its way,
 * another fetch with the same key waits for that answer instead of sending its own: under load
 * the same entity fetches of the same document arrive many times a second.
 *
 * The key holds everything that can change the subgraph's answer: its URL, the request body
 * (document, variables, operation name) and the identity headers. Two principals never share
 * an answer: the `authorization` header (the exact token) and the client address the subgraph
 * sees (`x-forwarded-for`, which its throttles and audit logs key on) are part of the key. What
 * is only plumbing (request id, trace context, deadline) is not; the subgraph sees the first
 * caller's.
 *
 * Only reads are shared (the caller decides, see `isRead` in subgraph-fetch.ts): a mutation sent
 * once for two callers would run once instead of twice.
 *
 * Each waiter gets the answer as text and parses its own copy: the gateway's executor merges
 * subgraph data into its result objects in place, so a parsed answer must never be shared.
 */

/** A subgraph's answer, as received. */
export interface SubgraphAnswer {
  status: number;
  statusText: string;
  headers: [string, string][];
  text: string;
}

/** The headers that say who is asking: part of the key, so no answer crosses principals. */
export const IDENTITY_HEADERS = ['authorization', 'x-forwarded-for'] as const;

export function inFlightKey(url: string, body: string, headers: Record<string, string>): string {
  let key = url;
  for (const name of IDENTITY_HEADERS) key += `\n${headers[name] ?? ''}`;
  return `${key}\n${body}`;
}

export class InFlightFetches {
  private readonly pending = new Map<string, Promise<SubgraphAnswer>>();
  /** Fetches answered by another caller's fetch, since start (the gateway's metrics count these). */
  shared = 0;

  /**
   * The answer of `fetchAnswer()`, or of the identical fetch already under way. A waiter stops
   * waiting when its own budget (`budgetMs`) is spent, as its own fetch would have; the fetch it
   * waited for goes on for the others.
   */
  run(key: string, budgetMs: number, fetchAnswer: () => Promise<SubgraphAnswer>) {
    const pending = this.pending.get(key);
    if (!pending) {
      const started = fetchAnswer().finally(() => this.pending.delete(key));
      this.pending.set(key, started);
      return started;
    }
    this.shared++;
    return withinBudget(pending, budgetMs);
  }

  /** How many distinct fetches are under way (tests). */
  get size() {
    return this.pending.size;
  }
}

/** `promise`, or the same TimeoutError a fetch aborted by `AbortSignal.timeout` rejects with. */
function withinBudget<T>(promise: Promise<T>, budgetMs: number): Promise<T> {
  if (!Number.isFinite(budgetMs)) return promise;
  const signal = AbortSignal.timeout(budgetMs);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
