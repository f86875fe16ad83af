import type { DocumentNode, ExecutionResult } from 'graphql';
import type { UpstreamEvent } from './upstream.ts';

/**
 * Completing an upstream event (running its entity fetches, shaping it to the client's
 * selection) depends only on the client's document, operation and variables, the principal it
 * runs as, and the event itself. When many clients subscribe with the same document as the same
 * principal (one customer's phone, tablet and web tab; a merchant console open on every till),
 * each of them receives the same upstream event: it is completed once and the result is shared.
 *
 * Never across principals: the key holds the token the entity fetches run with, so a result is
 * shared only between subscribers who would be sent the very same fetches. A result is kept for
 * `keepMs` after it is ready, because the copies of one event reach their subscribers one after
 * another (each is a message of its own on the upstream socket), not all at once.
 */
export class SharedCompletions {
  private readonly documentIds = new WeakMap<DocumentNode, number>();
  private nextDocumentId = 1;
  private readonly results = new Map<string, Promise<ExecutionResult>>();
  /** Each event's key text, made once: readers of one upstream subscription share the object. */
  private readonly eventKeys = new WeakMap<UpstreamEvent, string>();

  constructor(private readonly keepMs = 1_000) {}

  /**
   * The part of the key fixed for one client subscription (computed once when it starts). The
   * kit's document limits hand out one document object per distinct query text, so the object's
   * identity stands for the text.
   */
  subscriptionKey(
    document: DocumentNode,
    operationName: string | undefined,
    variables: Record<string, unknown>,
    token: string | null,
  ): string {
    let id = this.documentIds.get(document);
    if (id === undefined) this.documentIds.set(document, (id = this.nextDocumentId++));
    return `${id}\u0000${operationName ?? ''}\u0000${JSON.stringify(variables)}\u0000${token ?? ''}`;
  }

  /** The completed event: computed by `complete` unless an identical one is ready or under way. */
  complete(
    subscriptionKey: string,
    event: UpstreamEvent,
    complete: () => Promise<ExecutionResult>,
  ): Promise<ExecutionResult> {
    // Extensions are left out: they carry the subgraph's trace context, which differs per
    // subscriber although the data does not.
    let eventKey = this.eventKeys.get(event);
    if (eventKey === undefined) {
      eventKey = JSON.stringify([event.data, event.errors]);
      this.eventKeys.set(event, eventKey);
    }
    const key = `${subscriptionKey}\u0000${eventKey}`;
    const existing = this.results.get(key);
    if (existing) return existing;
    const result = complete();
    this.results.set(key, result);
    const forget = () => {
      setTimeout(() => {
        if (this.results.get(key) === result) this.results.delete(key);
      }, this.keepMs).unref();
    };
    result.then(forget, () => this.results.delete(key));
    return result;
  }
}
