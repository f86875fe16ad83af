import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A frontend's live subscription through the gateway, recorded for assertions. */
export interface Recording<T> {
  messages: T[];
  errors: { message: string; extensions?: { code?: string } }[];
  closeCode: number | null;
  completed: boolean;
  /** Resolves when `predicate` holds for the messages so far (or rejects after `timeout`). */
  until(predicate: (messages: T[]) => boolean, timeout?: number): Promise<void>;
  stop(): Promise<void>;
}

export function subscribe<T>(
  gatewayUrl: string,
  token: string | null,
  query: string,
  variables: Record<string, unknown>,
): Recording<T> {
  const recording: Recording<T> = {
    messages: [],
    errors: [],
    closeCode: null,
    completed: false,
    until: async (predicate, timeout = 20_000) => {
      const deadline = Date.now() + timeout;
      while (!predicate(recording.messages)) {
        if (Date.now() > deadline) {
          throw new Error(
            `timed out; got ${JSON.stringify(recording.messages)} ${JSON.stringify(recording.errors)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    stop: async () => {
      unsubscribe();
      await client.dispose();
    },
  };
  const client: Client = createClient({
    url: gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => (recording.closeCode = (event as { code: number }).code) },
  });
  const unsubscribe = client.subscribe<Record<string, T>>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) recording.errors.push(...(result.errors as Recording<T>['errors']));
        const value = result.data ? Object.values(result.data)[0] : undefined;
        if (value) recording.messages.push(value as T);
      },
      error: (error) => {
        if (Array.isArray(error)) recording.errors.push(...error);
        else recording.errors.push({ message: String((error as Error)?.message ?? error) });
      },
      complete: () => {
        recording.completed = true;
      },
    },
  );
  return recording;
}
