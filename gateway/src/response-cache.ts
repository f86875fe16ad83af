import type { ApolloServerPlugin } from '@apollo/server';
import type { Experimental_DidResolveQueryPlanCallback } from '@apollo/gateway';
import type { PlanNode, SubscriptionNode } from '@apollo/query-planner';
import { createLivePubSub, type LivePubSub } from '@sky/events';
import type { Logger } from '@sky/logging';
import { print, type DocumentNode } from 'graphql';
import { Redis } from 'ioredis';
import { createHash, randomUUID } from 'node:crypto';

/** The live channel the catalog subgraph publishes on after a change commits. */
export const CATALOG_CHANGED_CHANNEL = 'catalog.changed';

/** The only subgraph whose answers to anonymous callers are cached. */
const CACHED_SUBGRAPH = 'catalog';

/** Whole GraphQL responses under a key, for a number of seconds. */
interface ResponseStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** The current generation other gateway instances agreed on, if the store is shared. */
  readGeneration(): Promise<string | null>;
  writeGeneration(generation: string): Promise<void>;
  close(): Promise<void>;
}

/** Embedded mode: one process, a bounded map (the oldest entry goes first when full). */
class MemoryStore implements ResponseStore {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();
  constructor(private readonly maxEntries: number) {}
  async get(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt > Date.now()) return entry.value;
    this.entries.delete(key);
    return null;
  }
  async set(key: string, value: string, ttlSeconds: number) {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
  }
  async readGeneration() {
    return null;
  }
  async writeGeneration() {}
  async close() {}
}

/**
 * Server mode: every gateway instance shares the entries and the generation. A Redis that is
 * down makes every lookup a miss (commands fail at once instead of queueing), never an error.
 */
class RedisStore implements ResponseStore {
  private readonly redis: Redis;
  constructor(
    redisUrl: string,
    private readonly prefix: string,
    logger: Logger,
  ) {
    this.redis = new Redis(redisUrl, {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      connectTimeout: 2_000,
    });
    let reportedDown = false;
    this.redis.on('error', (error) => {
      if (!reportedDown) logger.warn({ err: error }, 'response cache: Redis unavailable');
      reportedDown = true;
    });
    this.redis.on('ready', () => (reportedDown = false));
  }
  async get(key: string) {
    return this.redis.get(this.prefix + key).catch(() => null);
  }
  async set(key: string, value: string, ttlSeconds: number) {
    await this.redis.set(this.prefix + key, value, 'EX', ttlSeconds).catch(() => undefined);
  }
  async readGeneration() {
    return this.redis.get(`${this.prefix}generation`).catch(() => null);
  }
  async writeGeneration(generation: string) {
    await this.redis.set(`${this.prefix}generation`, generation).catch(() => undefined);
  }
  async close() {
    this.redis.disconnect();
  }
}

/** Every subgraph a query plan fetches from. */
function subgraphsOf(
  node: PlanNode | SubscriptionNode | undefined,
  into: Set<string>,
): Set<string> {
  if (!node) return into;
  switch (node.kind) {
    case 'Fetch':
      into.add(node.serviceName);
      break;
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) subgraphsOf(child, into);
      break;
    case 'Flatten':
      subgraphsOf(node.node, into);
      break;
    case 'Defer':
      subgraphsOf(node.primary.node, into);
      for (const deferred of node.deferred) subgraphsOf(deferred.node, into);
      break;
    case 'Condition':
      subgraphsOf(node.ifClause, into);
      subgraphsOf(node.elseClause, into);
      break;
    default:
      // A subscription (never planned here) or a kind this code does not know: never cached.
      into.add('?');
  }
  return into;
}

export interface ResponseCacheSettings {
  enabled: boolean;
  ttlSeconds: number;
  maxEntries: number;
  redisUrl: string | null;
  namespace: string;
}

/**
 * The response cache of public catalog reads (docs section 13.2). Only an anonymous request (no
 * Authorization header) for a query whose query plan fetches from the catalog subgraph alone,
 * answered without errors, is stored; only such a request is looked up. The key is a hash of the
 * generation, the printed document, the operation name and the variables. A `catalog.changed`
 * live message moves the generation on, so every earlier entry is never read again (each expires
 * at its TTL).
 */
export class ResponseCache {
  private generation: string = 'initial';
  /** Request contexts whose query plan touched only the catalog subgraph. */
  private readonly catalogOnly = new WeakSet<object>();
  private readonly printed = new WeakMap<DocumentNode, string>();
  private readonly live: LivePubSub;
  private listening: AsyncIterableIterator<unknown> | null = null;
  /** How many lookups hit and missed (tests, diagnostics). */
  readonly counts = { hits: 0, misses: 0, stored: 0, invalidations: 0 };

  private constructor(
    private readonly settings: ResponseCacheSettings,
    private readonly store: ResponseStore,
    private readonly logger: Logger,
  ) {
    this.live = createLivePubSub({ redisUrl: settings.redisUrl, namespace: settings.namespace });
  }

  static async start(settings: ResponseCacheSettings, logger: Logger): Promise<ResponseCache> {
    const store = settings.redisUrl
      ? new RedisStore(settings.redisUrl, `${settings.namespace}:response-cache:`, logger)
      : new MemoryStore(settings.maxEntries);
    const cache = new ResponseCache(settings, store, logger);
    cache.generation = (await store.readGeneration()) ?? cache.generation;
    cache.listen();
    return cache;
  }

  private listen() {
    const messages = this.live.subscribe<{ changeId?: unknown }>(CATALOG_CHANGED_CHANNEL);
    this.listening = messages;
    void (async () => {
      for await (const message of messages) {
        // Every instance receives the same change id, so instances sharing Redis agree on it.
        const changeId =
          typeof message?.changeId === 'string' && message.changeId ? message.changeId : null;
        this.generation = changeId ?? randomUUID();
        this.counts.invalidations += 1;
        await this.store.writeGeneration(this.generation);
      }
    })().catch((error: unknown) => {
      this.logger.warn({ err: error }, 'response cache: catalog change feed ended');
    });
  }

  /** Apollo Gateway's hook after planning: remembers whether the plan stays in the catalog. */
  readonly didResolveQueryPlan: Experimental_DidResolveQueryPlanCallback = ({
    queryPlan,
    requestContext,
  }) => {
    const subgraphs = subgraphsOf(queryPlan.node, new Set());
    if ([...subgraphs].every((name) => name === CACHED_SUBGRAPH)) {
      this.catalogOnly.add(requestContext.context);
    }
  };

  private keyOf(document: DocumentNode, operationName: string | null, variables: unknown) {
    // Apollo keeps one parsed document per query text, so each is printed once.
    let text = this.printed.get(document);
    if (text === undefined) {
      text = print(document);
      this.printed.set(document, text);
    }
    return createHash('sha256')
      .update(JSON.stringify([this.generation, text, operationName, variables ?? {}]))
      .digest('base64url');
  }

  plugin(): ApolloServerPlugin<object> {
    return {
      requestDidStart: async ({ request }) => {
        if (request.http?.headers.get('authorization')) return;
        let key: string | null = null;
        let hit = false;
        return {
          responseForOperation: async (requestContext) => {
            if (requestContext.operation.operation !== 'query') return null;
            key = this.keyOf(
              requestContext.document,
              requestContext.operationName ?? null,
              requestContext.request.variables,
            );
            const cached = await this.store.get(key);
            if (cached === null) {
              this.counts.misses += 1;
              return null;
            }
            hit = true;
            this.counts.hits += 1;
            return {
              http: requestContext.response.http,
              body: { kind: 'single', singleResult: JSON.parse(cached) as Record<string, unknown> },
            };
          },
          willSendResponse: async (requestContext) => {
            if (key === null) return;
            requestContext.response.http.headers.set('x-cache', hit ? 'HIT' : 'MISS');
            const { body } = requestContext.response;
            if (
              hit ||
              body.kind !== 'single' ||
              body.singleResult.errors ||
              !this.catalogOnly.has(requestContext.contextValue)
            ) {
              return;
            }
            this.counts.stored += 1;
            // Only the data: extensions may carry per-request details, never another caller's.
            const stored = JSON.stringify({ data: body.singleResult.data });
            await this.store.set(key, stored, this.settings.ttlSeconds);
          },
        };
      },
    };
  }

  async close() {
    // Closing the feed rethrows a SUBSCRIBE that failed (Redis unreachable): nothing to undo then.
    await Promise.resolve(this.listening?.return?.()).catch(() => undefined);
    await this.live.close();
    await this.store.close();
  }
}
