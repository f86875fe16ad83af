import { PubSub } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import { traceCarrier, type TraceCarrier } from '@sky/telemetry';

/**
 * Real-time fan-out for subscriptions: an event published by any instance reaches the
 * subscribers on every instance (Redis pub/sub in server mode, in process when embedded).
 * Delivery is best effort: subscribers get the current state first and versions let them drop
 * what is stale, so a lost message only delays an update.
 */
export interface LivePubSub {
  publish(channel: string, payload: unknown): Promise<void>;
  subscribe<T>(channel: string): AsyncIterableIterator<T>;
  close(): Promise<void>;
}

/**
 * The live channel on which the catalog subgraph announces that public catalog data changed (a
 * management mutation, a stock reservation or release committed); the gateway's response cache
 * (docs section 13.2) moves to a new generation on each message.
 */
export const CATALOG_CHANGED_CHANNEL = 'catalog.changed';

/** A `catalog.changed` message: a fresh id per change, and the merchant when one is known. */
export interface CatalogChangedMessage {
  changeId: string;
  merchantId: string | null;
}

const inProcess = new Map<string, PubSub>();

/**
 * A live message carries the trace context of the change that caused it (`traceContext`), so
 * the span of each event sent to a subscriber links to that change.
 */
function withTraceContext(payload: unknown): unknown {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload;
  const carrier = traceCarrier();
  return carrier.traceparent ? { ...payload, traceContext: carrier } : payload;
}

/** The trace context a live message was published in, if any. */
export function liveMessageCause(message: unknown): TraceCarrier | null {
  const carrier = (message as { traceContext?: unknown } | null | undefined)?.traceContext;
  return typeof carrier === 'object' && carrier !== null ? (carrier as TraceCarrier) : null;
}

export function createLivePubSub(options: {
  redisUrl: string | null;
  namespace: string;
}): LivePubSub {
  const prefix = `${options.namespace}:live:`;
  if (!options.redisUrl) {
    let pubsub = inProcess.get(options.namespace);
    if (!pubsub) {
      pubsub = new PubSub();
      inProcess.set(options.namespace, pubsub);
    }
    const local = pubsub;
    return {
      publish: (channel, payload) => local.publish(prefix + channel, withTraceContext(payload)),
      subscribe: <T>(channel: string) =>
        local.asyncIterableIterator<T>(prefix + channel) as AsyncIterableIterator<T>,
      close: async () => {},
    };
  }
  const connection = () => {
    const client = new Redis(options.redisUrl!, { maxRetriesPerRequest: 2, connectTimeout: 2_000 });
    client.on('error', () => {});
    return client;
  };
  const publisher = connection();
  const subscriber = connection();
  const redis = new RedisPubSub({ publisher, subscriber });
  return {
    publish: (channel, payload) => redis.publish(prefix + channel, withTraceContext(payload)),
    subscribe: <T>(channel: string) =>
      redis.asyncIterator<T>(prefix + channel) as unknown as AsyncIterableIterator<T>,
    close: async () => {
      // QUIT fails while Redis is unreachable; the connections are dropped all the same.
      await redis.close().catch(() => {
        publisher.disconnect();
        subscriber.disconnect();
      });
    },
  };
}
