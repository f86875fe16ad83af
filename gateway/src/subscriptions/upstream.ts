import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { ExecutionResult } from 'graphql';

/**
 * graphql-ws connections from the gateway to subgraphs. Subscriptions of one principal to one
 * subgraph share a connection (multiplexed by graphql-ws); it closes when the last one ends.
 */
export class UpstreamConnections {
  private readonly clients = new Map<string, { client: Client; users: number }>();

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

  /**
   * Subscribes upstream. The iterator ends when the subgraph completes; `return()` ends the
   * upstream subscription at once (an async generator could not: it would wait for the next
   * event before running its cleanup).
   */
  open(
    httpUrl: string,
    token: string | null,
    request: { query: string; variables: Record<string, unknown>; operationName?: string },
    headers: { requestId: string; traceContext?: Record<string, string> },
  ): AsyncIterableIterator<ExecutionResult> {
    const { client, release } = this.acquire(httpUrl, token);
    const inner = client.iterate({ ...request, extensions: { ...headers } });
    let released = false;
    const finish = () => {
      if (!released) {
        released = true;
        release();
      }
    };
    const iterator: AsyncIterableIterator<ExecutionResult> = {
      next: async () => {
        try {
          const result = await inner.next();
          if (result.done) finish();
          return result as IteratorResult<ExecutionResult>;
        } catch (error) {
          finish();
          throw error;
        }
      },
      return: async () => {
        await inner.return?.();
        finish();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  async close(): Promise<void> {
    for (const { client } of this.clients.values()) await client.dispose();
    this.clients.clear();
  }
}
