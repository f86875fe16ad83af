import { generateKeyPair, TokenVerifier } from '@sky/auth';
import { requestLimitsFrom } from '@sky/config';
import { createLogger } from '@sky/logging';
import {
  GraphQLInt,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  type GraphQLFieldConfig,
} from 'graphql';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { attachSubgraphSubscriptions, DocumentLimits } from '../src/index.ts';

/** A subscription that never emits: each open one is counted while it lasts. */
let openStreams = 0;
const forever: GraphQLFieldConfig<unknown, unknown> = {
  type: GraphQLInt,
  subscribe: () => {
    openStreams++;
    let release: (() => void) | null = null;
    const iterator: AsyncIterableIterator<unknown> = {
      next: () => new Promise((resolve) => (release = () => resolve({ done: true, value: 0 }))),
      return: async () => {
        openStreams--;
        release?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  },
};
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { hello: { type: GraphQLString } } }),
  subscription: new GraphQLObjectType({ name: 'Subscription', fields: { forever } }),
});

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
  openStreams = 0;
});

async function start(env: Record<string, string> = {}) {
  const keys = generateKeyPair();
  const httpServer: Server = createServer();
  const limits = new DocumentLimits(requestLimitsFrom(env), false);
  const subscriptions = attachSubgraphSubscriptions({
    httpServer,
    schema,
    verifier: new TokenVerifier(keys.publicKeyPem, { issuer: 'i', audience: 'a' }),
    logger: createLogger('test', 'silent'),
    limits,
    trustProxy: 'false',
    createContext: (state) => state,
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  cleanup.push(async () => {
    await subscriptions.close();
    httpServer.closeAllConnections();
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
  });
  return { url: `ws://127.0.0.1:${port}/graphql`, port, subscriptions };
}

interface RawSocket {
  socket: WebSocket;
  messages: { type: string; id?: string; payload?: unknown }[];
  closed: Promise<{ code: number; reason: string }>;
}

/** A graphql-ws client by hand, to send what a well-behaved library never would. */
async function open(url: string, init = true): Promise<RawSocket> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const messages: RawSocket['messages'] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  if (init) {
    socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    await until(() => messages.some((m) => m.type === 'connection_ack'));
  }
  return { socket, messages, closed };
}

/** `subscribe` frames with ids `from` .. `to - 1`, all in one burst. */
function sendBurst(client: RawSocket, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    client.socket.send(
      JSON.stringify({
        id: String(i),
        type: 'subscribe',
        payload: { query: 'subscription { forever }' },
      }),
    );
  }
}

/** The first error of every `error` message received so far. */
const refusals = (client: RawSocket) =>
  client.messages
    .filter((m) => m.type === 'error')
    .map((m) => (m.payload as { extensions: { code: string; retryAfterSeconds?: number } }[])[0]!);

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The status of a refused WebSocket upgrade. */
async function upgradeStatus(url: string): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    socket.once('open', () => {
      resolve('open');
      socket.close();
    });
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', () => {});
  });
}

describe('WebSocket limits and hygiene (subgraph socket)', () => {
  it('reserves the subscription slot at once: 150 subscribe frames in one burst with a limit of 100 open 100', async () => {
    // The rate out of the way: this is about the slot limit alone.
    const { url } = await start({
      MAX_SUBSCRIPTIONS_PER_CONNECTION: '100',
      WS_SUBSCRIBES_PER_SECOND: '1000',
    });
    const client = await open(url);
    sendBurst(client, 0, 150);
    await until(() => refusals(client).length === 50);
    expect(openStreams).toBe(100);
    expect(new Set(refusals(client).map((error) => error.extensions.code))).toEqual(
      new Set(['RATE_LIMITED']),
    );
    client.socket.close();
  });

  it('closes a flooding socket (4429) and handles none of the messages beyond the limit', async () => {
    const { url } = await start({
      MAX_SUBSCRIPTIONS_PER_CONNECTION: '1000',
      WS_SUBSCRIBES_PER_SECOND: '1000',
      WS_MESSAGES_PER_SECOND: '50',
    });
    const client = await open(url);
    const before = openStreams;
    // connection_init was message 1: 49 more are handled, the rest of a 1,000-frame burst is not.
    sendBurst(client, 0, 1_000);
    expect((await client.closed).code).toBe(4429);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.messages.filter((m) => m.type === 'error')).toHaveLength(0);
    expect(openStreams - before).toBeLessThanOrEqual(49);
    // A well-behaved client on another socket is not affected.
    const other = await open(url);
    sendBurst(other, 0, 3);
    await until(() => openStreams - before >= 3);
    other.socket.close();
  });

  it('limits subscription starts per second: 60 frames in one burst at 20/s open 20, refuse 40 with retryAfterSeconds, and 20 more open after the window', async () => {
    const { url } = await start({
      MAX_SUBSCRIPTIONS_PER_CONNECTION: '100',
      WS_SUBSCRIBES_PER_SECOND: '20',
    });
    const client = await open(url);
    sendBurst(client, 0, 60);
    await until(() => refusals(client).length === 40 && openStreams === 20);
    const refused = refusals(client);
    expect(new Set(refused.map((error) => error.extensions.code))).toEqual(
      new Set(['RATE_LIMITED']),
    );
    // Whole seconds, at least 1: the window is one second long.
    expect(refused.map((error) => error.extensions.retryAfterSeconds)).toEqual(Array(40).fill(1));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // Nothing was started for a refused id.
    expect(openStreams).toBe(20);
    // After the window, new subscriptions open again, on ids that were refused: graphql-ws
    // would close the socket (4409) if a refused id still held its slot.
    sendBurst(client, 20, 40);
    await until(() => openStreams === 40);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(openStreams).toBe(40);
    expect(refusals(client)).toHaveLength(40);
    client.socket.close();
  });

  it('refuses a message over the body limit from its header and closes with 1009', async () => {
    const { url } = await start({ BODY_LIMIT_BYTES: '1000' });
    const client = await open(url);
    client.socket.send('x'.repeat(20_000));
    expect((await client.closed).code).toBe(1009);
  });

  it('parses with the token limit and validates depth and cost like the HTTP path', async () => {
    const { url } = await start({ MAX_TOKENS: '50', MAX_DEPTH: '2' });
    const client = await open(url);
    const send = (id: string, query: string) =>
      client.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query } }));
    send('tokens', `subscription { forever ${'__typename '.repeat(60)} }`);
    send('query', '{ hello }');
    await until(() => client.messages.filter((m) => m.type === 'error').length === 2);
    const codeOf = (id: string) =>
      (client.messages.find((m) => m.id === id)!.payload as { extensions: { code: string } }[])[0]!
        .extensions.code;
    expect(codeOf('tokens')).toBe('GRAPHQL_PARSE_FAILED');
    expect(codeOf('query')).toBe('BAD_REQUEST');
    client.socket.close();
  });

  it('closes a socket that never initialises (4408)', async () => {
    const { url } = await start({ WS_CONNECTION_INIT_TIMEOUT_MS: '200' });
    const client = await open(url, false);
    expect((await client.closed).code).toBe(4408);
  });

  it('closes a socket without a subscription after the idle timeout, and keeps a busy one', async () => {
    const { url } = await start({ WS_IDLE_TIMEOUT_MS: '300' });
    const idle = await open(url);
    const busy = await open(url);
    busy.socket.send(
      JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: { query: 'subscription { forever }' },
      }),
    );
    expect((await idle.closed).code).toBe(1000);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(busy.socket.readyState).toBe(WebSocket.OPEN);
    busy.socket.close();
  });

  it('drops a peer that stops answering pings', async () => {
    const { port, subscriptions } = await start({ WS_PING_INTERVAL_MS: '100' });
    // A raw TCP client completes the handshake and then never answers anything.
    const raw = connect(port, '127.0.0.1');
    raw.write(
      'GET /graphql HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n' +
        'Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n',
    );
    await until(() => subscriptions.connectionCount() === 1);
    // Reading (and discarding) lets the client see the end; it still never answers a ping.
    raw.resume();
    const ended = new Promise((resolve) => raw.once('close', resolve));
    await until(() => subscriptions.connectionCount() === 0, 2_000);
    await ended;
  });

  it('caps connections per client address (429) and in total (503)', async () => {
    const perAddress = await start({ WS_MAX_CONNECTIONS_PER_ADDRESS: '2' });
    const first = [await open(perAddress.url, false), await open(perAddress.url, false)];
    expect(await upgradeStatus(perAddress.url)).toBe(429);
    first[0]!.socket.close();
    await first[0]!.closed;
    expect(await upgradeStatus(perAddress.url)).toBe('open');
    first[1]!.socket.close();

    const total = await start({ WS_MAX_CONNECTIONS: '1' });
    const only = await open(total.url, false);
    expect(await upgradeStatus(total.url)).toBe(503);
    only.socket.close();
  });
});
