/**
 * The attacker of bench/hostile.ts, in its own process so that building and sending the attacks
 * (a 20 MB frame, 1,000 frames) costs the platform's event loop nothing but the receiving.
 * Reads one JSON command per line on stdin ({ attack, durationMs }); answers one JSON line with
 * the time each attack took to be answered and the codes it was answered with.
 *   args: <gateway URL> <customer token> <customer's order id>
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

const [gatewayUrl, customerToken, orderId] = process.argv.slice(2) as [string, string, string];
const wsUrl = gatewayUrl.replace(/^http/, 'ws');

async function post(body: object, headers: Record<string, string> = {}) {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  return json.errors?.[0]?.extensions?.code ?? 'OK';
}

interface Received {
  type: string;
  payload?: unknown;
  /** When it arrived (performance.now()). */
  at: number;
}

function openSocket(token?: string): Promise<{ socket: WebSocket; messages: Received[] }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    const messages: Received[] = [];
    socket.on('error', () => {});
    socket.on('message', (data) =>
      messages.push({ ...JSON.parse(String(data)), at: performance.now() }),
    );
    socket.once('open', () => {
      socket.send(
        JSON.stringify({
          type: 'connection_init',
          payload: token ? { authorization: `Bearer ${token}` } : {},
        }),
      );
    });
    socket.on('message', () => {
      if (messages.some((m) => m.type === 'connection_ack')) resolve({ socket, messages });
    });
    socket.once('unexpected-response', () => reject(new Error('upgrade refused')));
  });
}

const TWENTY_MB = 20 * 1024 * 1024;
/** A masked text frame announcing 20 MB (mask 0: the bytes go out as they are, no client work). */
const frameHeader = Buffer.concat([
  Buffer.from([0x81, 0x80 | 127]),
  (() => {
    const length = Buffer.alloc(8);
    length.writeBigUInt64BE(BigInt(TWENTY_MB));
    return length;
  })(),
  Buffer.alloc(4),
]);
const payload = Buffer.alloc(TWENTY_MB, 0x78);

/**
 * The 20 MB frame over a raw socket: the handshake, the frame header, then the payload. Answered
 * when the server's close frame (opcode 8) arrives, which it sends from the header alone.
 */
function sendTwentyMegabyteFrame(): Promise<string> {
  const { hostname, port } = new URL(wsUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let upgraded = false;
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      if (!upgraded) {
        if (!chunk.toString('latin1').startsWith('HTTP/1.1 101')) {
          socket.destroy();
          return resolve('upgrade refused');
        }
        upgraded = true;
        socket.write(frameHeader);
        socket.write(payload);
        return;
      }
      if ((chunk[0]! & 0x0f) === 0x08) {
        const code = chunk.length >= 4 ? chunk.readUInt16BE(2) : 0;
        socket.destroy();
        resolve(`close ${code}`);
      }
    });
    socket.write(
      `GET /graphql HTTP/1.1\r\nHost: ${hostname}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
        'Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n',
    );
  });
}
const redosEmail = `a@${'a.'.repeat(45_000)}`;
const costBomb = `query Bomb($n: Int) { merchants(first: $n) { edges { node { dishes(first: $n) {
  edges { node { merchant { dishes(first: $n) { edges { node { name } } } } } } } } } } }`;

/** For the burst: when its last refusal had arrived, per burst. */
const refusalsAnsweredMs: number[] = [];

/** One attack; resolves with the code it was answered with. */
const attacks: Record<string, () => Promise<string>> = {
  'redos-email': () =>
    post({
      query: 'mutation($input: RegisterInput!) { register(input: $input) { user { id } } }',
      variables: { input: { email: redosEmail, password: 'a long password', name: 'x' } },
    }),
  'ws-20mb-frame': sendTwentyMegabyteFrame,
  'cost-bomb-variables': () => post({ query: costBomb, variables: { n: 100 } }),
  'subscribe-burst-1000': async () => {
    const { socket, messages } = await openSocket(customerToken);
    const query = 'subscription($id: ID!) { orderStatusChanged(orderId: $id) { id status } }';
    const started = performance.now();
    for (let i = 0; i < 1_000; i++) {
      socket.send(
        JSON.stringify({
          id: String(i),
          type: 'subscribe',
          payload: { query, variables: { id: orderId } },
        }),
      );
    }
    // Every id is answered: a refusal (`error`), or the first event of an accepted subscription;
    // or the server closes the socket as a flood (4429) and answers nothing more.
    let closedAt: number | null = null;
    let closeCode = 0;
    socket.once('close', (code: number) => {
      closedAt = performance.now();
      closeCode = code;
    });
    const answered = () => messages.filter((m) => m.type === 'error' || m.type === 'next').length;
    while (answered() < 1_000 && closedAt === null) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const refused = messages.filter((m) => m.type === 'error');
    const lastAnswer = Math.max(closedAt ?? 0, ...refused.map((m) => m.at));
    refusalsAnsweredMs.push(lastAnswer - started);
    // The start rate's refusals say when to retry; the slot limit's do not.
    const byRate = refused.filter(
      (m) =>
        (m.payload as { extensions?: { retryAfterSeconds?: number } }[])[0]?.extensions
          ?.retryAfterSeconds,
    ).length;
    socket.close();
    const opened = messages.filter((m) => m.type === 'next').length;
    if (closedAt !== null) {
      return `${opened} open/${byRate} RATE_LIMITED by rate/${refused.length - byRate} by slot/closed ${closeCode}`;
    }
    return `${1_000 - refused.length} open/${byRate} RATE_LIMITED by rate/${refused.length - byRate} RATE_LIMITED by slot`;
  },
  'login-flood': () =>
    post(
      {
        query:
          'mutation($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { accessToken } }',
        variables: { e: `victim-${randomUUID()}@example.com`, p: 'guess' },
      },
      { 'x-forwarded-for': '203.0.113.66' },
    ),
};

/** In flight at once: the login flood is a flood; the others are sent one after another. */
const concurrency: Record<string, number> = { 'login-flood': 8 };
/**
 * Attacks per second (per worker): steady, heavy attack rates, not "as fast as this shared
 * machine can go" (that would measure the attacker's CPU, not what one attack costs).
 */
const perSecond: Record<string, number> = {
  'redos-email': 20,
  'ws-20mb-frame': 5,
  'cost-bomb-variables': 20,
  'subscribe-burst-1000': 1,
  'login-flood': 12,
};

createInterface({ input: process.stdin }).on('line', async (line) => {
  const { attack, durationMs } = JSON.parse(line) as { attack: string; durationMs: number };
  const answeredMs: number[] = [];
  const codes: Record<string, number> = {};
  const deadline = Date.now() + durationMs;
  const worker = async () => {
    while (Date.now() < deadline) {
      const started = performance.now();
      const code = await attacks[attack]!().catch((error: Error) => `error: ${error.message}`);
      const took = performance.now() - started;
      answeredMs.push(took);
      codes[code] = (codes[code] ?? 0) + 1;
      const interval = 1_000 / perSecond[attack]!;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, interval - took)));
    }
  };
  await Promise.all(Array.from({ length: concurrency[attack] ?? 1 }, worker));
  process.stdout.write(
    `${JSON.stringify({ attack, answeredMs, codes, refusalsAnsweredMs: refusalsAnsweredMs.splice(0) })}\n`,
  );
});
