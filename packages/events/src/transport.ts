import { Redis } from 'ioredis';
import type { Logger } from '@sky/logging';

/**
 * Moves messages between services; it is not a durable record (PostgreSQL is). Consumers in one
 * group share the messages of a stream; every group sees every message. A message whose handler
 * fails stays unacknowledged and is handled again.
 */
export interface StreamTransport {
  append(stream: string, body: string): Promise<void>;
  /** Consumes `stream` as `group` until `signal` aborts; resolves when it has stopped. */
  consume(
    stream: string,
    group: string,
    handle: (body: string) => Promise<void>,
    signal: AbortSignal,
  ): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Redis Streams with consumer groups (server mode). */
export class RedisStreamTransport implements StreamTransport {
  private readonly publisher: Redis;
  private readonly readers = new Set<Redis>();

  constructor(
    private readonly url: string,
    private readonly namespace: string,
    private readonly logger: Logger,
    private readonly consumerName = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
  ) {
    // Fail fast while Redis is away: the outbox keeps the event and the relay tries again.
    this.publisher = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      lazyConnect: false,
    });
    this.publisher.on('error', () => {});
  }

  private key(stream: string) {
    return `${this.namespace}:${stream}`;
  }

  async append(stream: string, body: string): Promise<void> {
    await this.publisher.xadd(this.key(stream), 'MAXLEN', '~', '100000', '*', 'body', body);
  }

  async consume(
    stream: string,
    group: string,
    handle: (body: string) => Promise<void>,
    signal: AbortSignal,
  ): Promise<void> {
    const reader = new Redis(this.url, { maxRetriesPerRequest: null, connectTimeout: 2_000 });
    reader.on('error', () => {});
    this.readers.add(reader);
    signal.addEventListener('abort', () => reader.disconnect());
    const key = this.key(stream);
    const ensureGroup = async () => {
      try {
        // From the start of the stream: after Redis lost its contents, nothing appended since is
        // skipped; what was handled before is dropped by the consumer's processed-events check.
        await reader.xgroup('CREATE', key, group, '0', 'MKSTREAM');
      } catch (error) {
        if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
      }
    };
    let groupReady = false;
    // First our own pending (unacknowledged) messages, then new ones.
    let cursor = '0';
    while (!signal.aborted) {
      try {
        if (!groupReady) {
          await ensureGroup();
          groupReady = true;
        }
        const reply = (await reader.xreadgroup(
          'GROUP',
          group,
          this.consumerName,
          'COUNT',
          '50',
          'BLOCK',
          '1000',
          'STREAMS',
          key,
          cursor,
        )) as [string, [string, string[]][]][] | null;
        const entries = reply?.[0]?.[1] ?? [];
        if (cursor === '0' && entries.length === 0) cursor = '>';
        let failed = false;
        for (const [id, fields] of entries) {
          if (signal.aborted) break;
          try {
            await handle(fields[1] ?? '');
            await reader.xack(key, group, id);
          } catch (error) {
            failed = true;
            this.logger.warn({ err: error, stream, group }, 'message handling failed; will retry');
          }
        }
        if (failed) {
          cursor = '0';
          await sleep(500, signal);
        }
      } catch (error) {
        if (signal.aborted) break;
        const message = String((error as Error).message);
        if (message.includes('NOGROUP')) {
          // Redis lost the stream (restart or flush): recreate the group and start over.
          groupReady = false;
          cursor = '0';
          continue;
        }
        this.logger.warn({ err: error, stream, group }, 'stream read failed; retrying');
        groupReady = false;
        await sleep(1_000, signal);
      }
    }
  }

  async close(): Promise<void> {
    for (const reader of this.readers) reader.disconnect();
    this.publisher.disconnect();
  }
}

/** The embedded mode's transport: the same semantics inside one process. */
class InProcessStreamTransport implements StreamTransport {
  private readonly streams = new Map<string, { bodies: string[]; wake: Set<() => void> }>();

  private stream(name: string) {
    let stream = this.streams.get(name);
    if (!stream) {
      stream = { bodies: [], wake: new Set() };
      this.streams.set(name, stream);
    }
    return stream;
  }

  async append(name: string, body: string): Promise<void> {
    const stream = this.stream(name);
    stream.bodies.push(body);
    for (const wake of stream.wake) wake();
  }

  async consume(
    name: string,
    _group: string,
    handle: (body: string) => Promise<void>,
    signal: AbortSignal,
  ): Promise<void> {
    const stream = this.stream(name);
    // A group created now sees only what is appended from now on, like `$`; the outbox relay
    // re-publishes anything older that is still unacknowledged.
    let position = stream.bodies.length;
    while (!signal.aborted) {
      if (position < stream.bodies.length) {
        try {
          await handle(stream.bodies[position]!);
          position++;
        } catch {
          await sleep(500, signal);
        }
        continue;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          stream.wake.delete(wake);
          resolve();
        };
        stream.wake.add(wake);
        signal.addEventListener('abort', wake);
      });
    }
  }

  async close(): Promise<void> {}
}

const inProcessTransports = new Map<string, InProcessStreamTransport>();

/** One in-process transport per namespace, shared by the services of one embedded platform. */
export function inProcessTransport(namespace: string): StreamTransport {
  let transport = inProcessTransports.get(namespace);
  if (!transport) {
    transport = new InProcessStreamTransport();
    inProcessTransports.set(namespace, transport);
  }
  return transport;
}
