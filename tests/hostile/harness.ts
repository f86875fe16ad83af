import type { Env } from '@sky/config';
import { SUBGRAPH_NAMES } from '@sky/testkit';
import pg from 'pg';
import WebSocket from 'ws';
import { startTestSupergraph, type TestSupergraph } from '../supergraph.ts';

/**
 * Shared pieces of the hostile-input suite: the whole supergraph in server mode (every subgraph
 * reachable directly too, as an attacker inside the network would reach it), a fingerprint of
 * every database to show that a refused mutation changed nothing, and a hand-driven graphql-ws
 * client that sends what no well-behaved library would.
 */

/** Limits low enough to reach in a test, everything else as deployed. */
export const HOSTILE_ENV: Env = {
  // The suite speaks from many client addresses through X-Forwarded-For.
  TRUST_PROXY: 'loopback',
  MAX_SUBSCRIPTIONS_PER_CONNECTION: '100',
  WS_MAX_CONNECTIONS_PER_ADDRESS: '20',
};

export async function startHostileSupergraph(env: Env = {}): Promise<TestSupergraph> {
  return startTestSupergraph({ env: { ...HOSTILE_ENV, ...env } });
}

/** Every endpoint an attacker can reach: the gateway and each subgraph directly. */
export function endpointsOf(supergraph: TestSupergraph): [string, string][] {
  return [
    ['gateway', supergraph.gatewayUrl],
    ...SUBGRAPH_NAMES.map((name) => [name, supergraph.subgraphUrls[name]!] as [string, string]),
  ];
}

/**
 * A digest of every row of every table of every subgraph's database: equal before and after a
 * refused mutation means nothing was written anywhere (not only in the table one would expect).
 */
export async function fingerprint(supergraph: TestSupergraph): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const name of SUBGRAPH_NAMES) {
    const client = new pg.Client({ connectionString: supergraph.databases[name]!.url });
    await client.connect();
    try {
      const { rows: tables } = await client.query<{ table: string }>(
        `SELECT tablename AS table FROM pg_tables
          WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename`,
      );
      for (const { table } of tables) {
        const { rows } = await client.query<{ digest: string | null; count: number }>(
          `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest, count(*)::int AS count
             FROM "${table}" t`,
        );
        digests[`${name}.${table}`] = `${rows[0]!.count}:${rows[0]!.digest ?? ''}`;
      }
    } finally {
      await client.end();
    }
  }
  return digests;
}

export interface RawSocket {
  socket: WebSocket;
  messages: { type: string; id?: string; payload?: unknown }[];
  closed: Promise<{ code: number; reason: string }>;
  /** The code of the error answering subscription `id`, once it arrives. */
  errorCode(id: string, timeoutMs?: number): Promise<unknown>;
  send(message: object | string): void;
}

export const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

/** Opens a graphql-ws socket by hand; `init` sends `connection_init` and waits for the ack. */
export async function openSocket(
  httpUrl: string,
  options: { init?: boolean; token?: string; headers?: Record<string, string> } = {},
): Promise<RawSocket> {
  const socket = new WebSocket(wsUrl(httpUrl), 'graphql-transport-ws', {
    headers: options.headers,
  });
  const messages: RawSocket['messages'] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  socket.on('message', (data) => {
    try {
      messages.push(JSON.parse(String(data)));
    } catch {
      messages.push({ type: 'unparseable' });
    }
  });
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`upgrade refused: ${response.statusCode}`)),
    );
  });
  const raw: RawSocket = {
    socket,
    messages,
    closed,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    errorCode: async (id, timeoutMs = 5_000) => {
      await until(() => messages.some((m) => m.id === id && m.type !== 'next'), timeoutMs);
      const answer = messages.find((m) => m.id === id && m.type !== 'next')!;
      if (answer.type !== 'error') return answer.type;
      return (answer.payload as { extensions?: { code?: unknown } }[])[0]?.extensions?.code;
    },
  };
  if (options.init ?? true) {
    raw.send({
      type: 'connection_init',
      payload: options.token ? { authorization: `Bearer ${options.token}` } : {},
    });
    await Promise.race([
      until(() => messages.some((m) => m.type === 'connection_ack')),
      closed.then(() => {}),
    ]);
  }
  return raw;
}

export async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The status of a WebSocket upgrade: 101 when it opens, else the refusal's HTTP status. */
export async function upgradeStatus(
  httpUrl: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; socket: WebSocket | null }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(wsUrl(httpUrl), 'graphql-transport-ws', { headers });
    socket.once('open', () => resolve({ status: 101, socket }));
    socket.once('unexpected-response', (_request, response) =>
      resolve({ status: response.statusCode ?? 0, socket: null }),
    );
    socket.once('error', () => {});
  });
}

let addressCounter = 1;
/** A fresh client address (documentation ranges), sent as X-Forwarded-For. */
export const freshAddress = () =>
  `198.51.${100 + Math.floor(addressCounter / 250)}.${addressCounter++ % 250}`;
