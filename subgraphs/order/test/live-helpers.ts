import {
  createLivePubSub,
  Outbox,
  type AfterCommit,
  type DomainEvent,
  type LivePubSub,
} from '@sky/events';
import type { ExecutionResult } from 'graphql';
import { createClient } from 'graphql-ws';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { Order } from '../src/stores/index.ts';
import { waitFor, type OrderHarness } from './harness.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One subscription over graphql-ws against the subgraph itself, as the gateway opens it. */
export interface TestSubscription {
  results: ExecutionResult[];
  /** The `index`-th result (0-based), waiting for it. */
  nth(index: number, timeoutMs?: number): Promise<ExecutionResult>;
  /** Resolves once the server completed the stream (or it failed). */
  ended(timeoutMs?: number): Promise<void>;
  isEnded(): boolean;
  close(): Promise<void>;
}

export function subscribe(
  h: OrderHarness,
  token: string | null,
  query: string,
  variables: Record<string, unknown>,
): TestSubscription {
  const client = createClient({
    url: h.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
  });
  const results: ExecutionResult[] = [];
  let ended = false;
  const unsubscribe = client.subscribe(
    { query, variables },
    {
      next: (result) => void results.push(result as ExecutionResult),
      error: (error) => {
        results.push({ errors: [{ message: String(error) }] } as unknown as ExecutionResult);
        ended = true;
      },
      complete: () => {
        ended = true;
      },
    },
  );
  return {
    results,
    nth: (index, timeoutMs = 10_000) =>
      waitFor(async () => results[index], `subscription result #${index}`, timeoutMs),
    ended: async (timeoutMs = 10_000) => {
      await waitFor(async () => ended, 'the subscription to end', timeoutMs);
    },
    isEnded: () => ended,
    close: async () => {
      unsubscribe();
      await client.dispose();
    },
  };
}

export const errorCodes = (result: ExecutionResult | undefined) =>
  (result?.errors ?? []).map((error) => error.extensions?.code);

/**
 * Another instance's view of the live channels (same Redis, same namespace): records every
 * message with the order as the database holds it at the moment the message arrives, so a test
 * can tell that the change was committed before it was announced.
 */
export class LiveObserver {
  private readonly pubsub: LivePubSub;
  constructor(
    private readonly h: OrderHarness,
    redisUrl = h.env.REDIS_URL!,
  ) {
    this.pubsub = createLivePubSub({ redisUrl, namespace: h.env.EVENT_NAMESPACE! });
  }

  /** Starts listening on `channel` and returns once a probe message came through. */
  async listen<Message extends { orderId?: string }>(channel: string) {
    const iterator = this.pubsub.subscribe<Message & { probe?: string }>(channel);
    const received: { message: Message; orderAtArrival: Order | null }[] = [];
    const probe = randomUUID();
    let probed = false;
    let stopped = false;
    void (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done || stopped) return;
        if (next.value.probe) {
          if (next.value.probe === probe) probed = true;
          continue;
        }
        const orderId = next.value.orderId;
        const orderAtArrival =
          typeof orderId === 'string'
            ? await this.h.subgraph.prisma.order.findUnique({ where: { id: orderId } })
            : null;
        received.push({ message: next.value, orderAtArrival });
      }
    })();
    await waitFor(async () => {
      await this.pubsub.publish(channel, { probe });
      await sleep(25);
      return probed;
    }, `the live channel ${channel} to be listened to`);
    return {
      received,
      messages: () => received.map((entry) => entry.message),
      stop: async () => {
        stopped = true;
        await iterator.return?.();
      },
    };
  }

  /** Publishes a raw message, e.g. a stale or repeated version that subscribers must drop. */
  publish(channel: string, payload: unknown) {
    return this.pubsub.publish(channel, payload);
  }

  close() {
    return this.pubsub.close();
  }
}

function domainEvent(
  producer: string,
  aggregateType: string,
  type: string,
  payload: Record<string, unknown>,
): DomainEvent {
  return {
    id: randomUUID(),
    type,
    producer,
    aggregateType,
    aggregateId: randomUUID(),
    payload,
    createdAt: new Date().toISOString(),
  };
}

/** A delivery event as the delivery subgraph writes it (its contract: @sky/contracts). */
export function deliveryEvent(
  type: string,
  payload: { orderId: string; riderId?: string; riderUserId?: string; at?: Date } & Record<
    string,
    unknown
  >,
): DomainEvent {
  const { at = new Date(), ...rest } = payload;
  return domainEvent('delivery', 'Delivery', type, {
    deliveryId: randomUUID(),
    ...rest,
    at: at.toISOString(),
  });
}

/** payment.succeeded as the payment subgraph writes it. */
export const paymentSucceeded = (orderId: string): DomainEvent =>
  domainEvent('payment', 'Payment', 'payment.succeeded', {
    paymentId: randomUUID(),
    orderId,
    amount: { amount: 4200, currency: 'CNY' },
    paidAt: new Date().toISOString(),
  });

/**
 * Runs one of the subgraph's event handlers the way the worker does (inside a transaction, its
 * after-commit callbacks once the transaction has committed), without the processed-events
 * bookkeeping: a repeat reaches the handler itself. `beforeCallbacks` runs after the commit and
 * before the callbacks (to see that nothing was published yet).
 */
export async function handleEvent(
  h: OrderHarness,
  event: DomainEvent,
  beforeCallbacks?: (callbackCount: number) => Promise<void>,
): Promise<number> {
  const callbacks: AfterCommit[] = [];
  // The subgraph's handler in a plain transaction whose after-commit work is kept here.
  await h.subgraph.handleEvent(event, (work) =>
    h.subgraph.prisma.$transaction((tx) =>
      work({ tx, outbox: new Outbox(tx), afterCommit: (callback) => callbacks.push(callback) }),
    ),
  );
  await beforeCallbacks?.(callbacks.length);
  for (const callback of callbacks) await callback();
  return callbacks.length;
}
