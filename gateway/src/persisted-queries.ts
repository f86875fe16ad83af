import {
  ErrorsAreMissesCache,
  InMemoryLRUCache,
  type KeyValueCache,
  type KeyValueCacheSetOptions,
} from '@apollo/utils.keyvaluecache';
import type { NextFunction, Request, Response } from 'express';
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { ErrorCode } from '@sky/errors';
import type { Logger } from '@sky/logging';
import { requestExtensions, sendGraphQLError } from '@sky/server-kit';

/**
 * Apollo's cache interface over Redis. A command fails at once while Redis is unreachable
 * (no offline queue, a short timeout) instead of holding the request: the persisted-query
 * protocol turns a miss into one more round trip with the full query, never into an error.
 */
class RedisKeyValueCache implements KeyValueCache<string> {
  constructor(
    private readonly redis: Redis,
    /** `<EVENT_NAMESPACE>:gateway:`: this platform's keys in a Redis other platforms may share. */
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    if (options?.ttl) await this.redis.set(this.prefix + key, value, 'EX', options.ttl);
    else await this.redis.set(this.prefix + key, value);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.prefix + key)) > 0;
  }
}

export interface PersistedQueriesCache {
  cache: KeyValueCache<string>;
  close(): Promise<void>;
}

/**
 * Where automatic persisted queries live: in Redis when the gateway runs in server mode (every
 * instance shares what any instance learnt, entries expire after their TTL), in Apollo's own
 * size-bounded LRU cache in memory otherwise.
 */
export async function createPersistedQueriesCache(
  redisUrl: string | null,
  namespace: string,
  logger: Logger,
): Promise<PersistedQueriesCache> {
  if (!redisUrl) return { cache: new InMemoryLRUCache<string>(), close: async () => {} };
  const redis = new Redis(redisUrl, {
    enableOfflineQueue: false,
    commandTimeout: 1_000,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
  });
  let reportedDown = false;
  redis.on('error', (error) => {
    // ioredis reconnects by itself; one line per outage is enough.
    if (!reportedDown) logger.warn({ err: error }, 'persisted queries cache: Redis unavailable');
    reportedDown = true;
  });
  redis.on('ready', () => {
    reportedDown = false;
  });
  // Commands fail fast while disconnected, so wait for the first connection (briefly: a gateway
  // whose Redis is down still starts, and persisted queries miss until Redis is back).
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2_000);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return {
    cache: new ErrorsAreMissesCache(new RedisKeyValueCache(redis, `${namespace}:gateway:`), {
      debug: () => {},
      info: () => {},
      warn: (message: unknown) =>
        logger.warn({ reason: String(message) }, 'persisted queries cache'),
      error: (message: unknown) =>
        logger.warn({ reason: String(message) }, 'persisted queries cache'),
    }),
    close: async () => {
      redis.disconnect();
    },
  };
}

/**
 * Refuses malformed automatic persisted query requests with BAD_REQUEST before Apollo sees them:
 * Apollo answers a hash that does not match the query, or an unknown protocol version, with an
 * error that has no code, which would reach the client as an internal error.
 */
export function checkPersistedQueryRequest(req: Request, res: Response, next: NextFunction) {
  const payload: unknown = req.method === 'POST' ? req.body : req.query;
  const persisted = requestExtensions(payload)?.persistedQuery;
  if (persisted === undefined) return next();
  const refuse = (message: string) =>
    sendGraphQLError(res, 400, ErrorCode.BAD_REQUEST, message, req.sky.requestId);
  const { version, sha256Hash } = (persisted ?? {}) as { version?: unknown; sha256Hash?: unknown };
  if (version !== 1) return refuse('Unsupported persisted query version (only 1 is).');
  // Apollo's protocol uses bare hex; the `sha256:` spelling belongs to `documentId`.
  if (typeof sha256Hash !== 'string' || !/^[0-9a-f]{64}$/.test(sha256Hash)) {
    return refuse('persistedQuery.sha256Hash must be a SHA-256 in lowercase hexadecimal.');
  }
  const query = (payload as { query?: unknown }).query;
  if (typeof query === 'string') {
    const actual = createHash('sha256').update(query).digest('hex');
    if (sha256Hash !== actual) {
      return refuse('persistedQuery.sha256Hash is not the SHA-256 of the query.');
    }
  }
  next();
}
