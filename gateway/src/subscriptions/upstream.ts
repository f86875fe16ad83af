import { STATE_EVENT_EXTENSION } from '@sky/server-kit';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { FormattedExecutionResult } from 'graphql';

/** What arrives over the wire: errors are plain objects, not GraphQLErrors. */
export type UpstreamEvent = FormattedExecutionResult<
  Record<string, unknown>,
  Record<string, unknown>
>;

type UpstreamRequest = {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
};

/** One client's view of a shared upstream subscription: what it has not read yet. */
interface Reader {
  queue: UpstreamEvent[];
  ended: boolean;
  failure: { error: unknown } | null;
  wake: (() => void) | null;
}

/**
 * One upstream subscription read by every client that subscribed with the same request as the
 * same principal. It keeps the latest event of a state stream (see `STATE_EVENT_EXTENSION`), so a
 * client joining late starts from the current state like one with a subscription of its own.
 */
class SharedSubscription {
  readonly readers = new Set<Reader>();
  /** The latest event, while the stream's events are whole states; null otherwise. */
  private latestState: UpstreamEvent | null = null;
  private sawEvent = false;
  ended = false;

  constructor(
    private readonly inner: AsyncIterator<UpstreamEvent>,
    private readonly onIdle: () => void,
  ) {
    void this.pump();
  }

  /** Whether a new client can read this stream as if it had subscribed itself. */
  joinable(): boolean {
    return !this.ended && (!this.sawEvent || this.latestState !== null);
  }

  join(): Reader {
    const reader: Reader = {
      queue: this.latestState ? [this.latestState] : [],
      ended: false,
      failure: null,
      wake: null,
    };
    this.readers.add(reader);
    return reader;
  }

  async leave(reader: Reader): Promise<void> {
    this.readers.delete(reader);
    if (this.readers.size > 0 || this.ended) return;
    this.ended = true;
    this.onIdle();
    await this.inner.return?.();
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        const next = await this.inner.next();
        if (next.done) break;
        const event = next.value;
        const isState = event.extensions?.[STATE_EVENT_EXTENSION] === true;
        this.sawEvent = true;
        this.latestState = isState ? event : null;
        for (const reader of this.readers) {
          // A reader behind on a state stream needs only the newest state, not every one.
          if (isState) reader.queue = [event];
          else reader.queue.push(event);
          reader.wake?.();
        }
      }
      this.finish(null);
    } catch (error) {
      this.finish({ error });
    }
  }

  private finish(failure: { error: unknown } | null): void {
    if (!this.ended) {
      this.ended = true;
      this.onIdle();
    }
    for (const reader of this.readers) {
      reader.ended = true;
      reader.failure = failure;
      reader.wake?.();
    }
  }
}

/**
 * graphql-ws connections from the gateway to subgraphs. Subscriptions of one principal to one
 * subgraph share a connection (multiplexed by graphql-ws); it closes when the last one ends.
 * Identical subscriptions (same subgraph, request and token) share one upstream subscription,
 * joined while it has sent nothing yet or while its events are whole states; any other
 * subscription gets one of its own. Never across principals: the token is part of the key.
 */
export class UpstreamConnections {
  private readonly clients = new Map<string, { client: Client; users: number }>();
  private readonly shared = new Map<string, SharedSubscription>();

  constructor(private readonly timeoutMs: number) {}

  private acquire(httpUrl: string, token: string | null) {
    const key = `${httpUrl}\u0000${token ?? ''}`;
    let entry = this.clients.get(key);
    if (!entry) {
      const client = createClient({
        url: httpUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        lazy: true,
        lazyCloseTimeout: 0,
        retryAttempts: 0,
        connectionAckWaitTimeout: this.timeoutMs,
        keepAlive: 15_000,
      });
      entry = { client, users: 0 };
      this.clients.set(key, entry);
    }
    entry.users++;
    const acquired = entry;
    return {
      client: acquired.client,
      release: () => {
        acquired.users--;
        if (acquired.users === 0 && this.clients.get(key) === acquired) {
          this.clients.delete(key);
          void acquired.client.dispose();
        }
      },
    };
  }

  /** A new upstream subscription on the principal's connection, released when it ends. */
  private subscribe(
    httpUrl: string,
    token: string | null,
    request: UpstreamRequest,
    headers: { requestId: string; traceContext?: Record<string, string> },
    key: string,
  ): SharedSubscription {
    const { client, release } = this.acquire(httpUrl, token);
    const inner = client.iterate<Record<string, unknown>, Record<string, unknown>>({
      ...request,
      extensions: { ...headers },
    });
    const subscription: SharedSubscription = new SharedSubscription(inner, () => {
      if (this.shared.get(key) === subscription) this.shared.delete(key);
      release();
    });
    this.shared.set(key, subscription);
    return subscription;
  }

  /**
   * Subscribes upstream (or joins an identical subscription). The iterator ends when the
   * subgraph completes; `return()` leaves at once (an async generator could not: it would wait
   * for the next event before running its cleanup), ending the upstream subscription with its
   * last reader.
   */
  open(
    httpUrl: string,
    token: string | null,
    request: UpstreamRequest,
    headers: { requestId: string; traceContext?: Record<string, string> },
  ): AsyncIterableIterator<UpstreamEvent> {
    const key = [
      httpUrl,
      token ?? '',
      request.operationName ?? '',
      request.query,
      JSON.stringify(request.variables),
    ].join('\u0000');
    const existing = this.shared.get(key);
    const subscription = existing?.joinable()
      ? existing
      : this.subscribe(httpUrl, token, request, headers, key);
    const reader = subscription.join();
    let left = false;
    const iterator: AsyncIterableIterator<UpstreamEvent> = {
      next: async () => {
        for (;;) {
          const event = reader.queue.shift();
          if (event) return { done: false, value: event };
          if (reader.ended || left) {
            if (reader.failure && !left) throw reader.failure.error;
            return { done: true, value: undefined };
          }
          await new Promise<void>((resolve) => (reader.wake = resolve));
          reader.wake = null;
        }
      },
      return: async () => {
        if (!left) {
          left = true;
          reader.wake?.();
          await subscription.leave(reader);
        }
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  async close(): Promise<void> {
    for (const { client } of this.clients.values()) await client.dispose();
    this.clients.clear();
    this.shared.clear();
  }
}
