import { generateKeyPair } from '@sky/auth';
import { findDemoUser, orders } from '@sky/demo-data';
import { tokenSigner } from '@sky/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestSupergraph } from '../supergraph.ts';
import {
  endpointsOf,
  freshAddress,
  openSocket,
  startHostileSupergraph,
  type RawSocket,
  until,
  upgradeStatus,
} from './harness.ts';

/**
 * Hostile graphql-ws traffic, table-driven, against the gateway's socket and each subgraph's
 * (every subgraph serves graphql-ws on /graphql, subscriptions or not). The socket gets the same
 * limits as HTTP and its own hygiene: each case asserts the error code or the close code.
 */
let supergraph: TestSupergraph;
beforeAll(async () => {
  supergraph = await startHostileSupergraph({
    PAYMENT_TIMEOUT_SECONDS: '86400',
    WS_CONNECTION_INIT_TIMEOUT_MS: '300',
  });
});
afterAll(async () => {
  await supergraph?.stop();
});

const endpointNames = ['gateway', 'user', 'catalog', 'order', 'payment', 'delivery'];
const url = (name: string) => endpointsOf(supergraph).find(([endpoint]) => endpoint === name)![1];
/** Each test speaks from its own address, so the per-address socket cap never mixes them up. */
const from = () => ({ headers: { 'x-forwarded-for': freshAddress() } });

const typenames = (n: number) => Array.from({ length: n }, (_, i) => `t${i}: __typename`).join(' ');
function deepIntrospection(levels: number): string {
  let chain = 'name';
  for (let i = 0; i < levels; i++) chain = `ofType { ${chain} }`;
  return `{ __schema { types { fields { type { ${chain} } } } } }`;
}

/** Documents refused before anything runs; the code is what the error message carries. */
const refusedDocuments: [string, string, string][] = [
  ['a syntax error', 'subscription {', 'GRAPHQL_PARSE_FAILED'],
  ['more tokens than the limit', `{ ${'__typename '.repeat(6_000)} }`, 'GRAPHQL_PARSE_FAILED'],
  ['an unknown field', '{ definitelyNotAField }', 'GRAPHQL_VALIDATION_FAILED'],
  ['31 `__typename` aliases', `{ ${typenames(31)} }`, 'GRAPHQL_VALIDATION_FAILED'],
  ['introspection 40 levels deep', deepIntrospection(40), 'GRAPHQL_VALIDATION_FAILED'],
  [
    '60 directives',
    `{ ${Array(60).fill('__typename @include(if: true)').join(' ')} }`,
    'GRAPHQL_VALIDATION_FAILED',
  ],
  ['a query (queries belong on HTTP)', '{ __typename }', 'BAD_REQUEST'],
  ['a mutation (mutations belong on HTTP)', 'mutation { __typename }', 'BAD_REQUEST'],
];

describe.each(endpointNames)('hostile WebSocket traffic: %s', (endpoint) => {
  it.each(refusedDocuments)('%s', async (_name, query, code) => {
    const client = await openSocket(url(endpoint), from());
    client.send({ id: '1', type: 'subscribe', payload: { query } });
    expect(await client.errorCode('1')).toBe(code);
    // The socket survives a refused operation.
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    client.socket.close();
  });

  it('a message over the body limit is refused from its header: close 1009', async () => {
    const client = await openSocket(url(endpoint), from());
    client.send('x'.repeat(20 * 1024 * 1024));
    expect((await client.closed).code).toBe(1009);
  });

  it('a message that is not JSON: close 4400', async () => {
    const client = await openSocket(url(endpoint), from());
    client.send('{ not json');
    expect((await client.closed).code).toBe(4400);
  });

  it('subscribing before connection_init: close 4401', async () => {
    const client = await openSocket(url(endpoint), { ...from(), init: false });
    client.send({ id: '1', type: 'subscribe', payload: { query: '{ __typename }' } });
    expect((await client.closed).code).toBe(4401);
  });

  it('never initialising: close 4408 after the init timeout', async () => {
    const client = await openSocket(url(endpoint), { ...from(), init: false });
    expect((await client.closed).code).toBe(4408);
  });

  it('a forged token in connectionParams: close 4401', async () => {
    const forged = tokenSigner(generateKeyPair()).signAccessToken({
      userId: findDemoUser('alice').id,
      roles: ['ADMIN'],
      merchantId: null,
    }).token;
    const client = await openSocket(url(endpoint), { ...from(), token: forged });
    expect((await client.closed).code).toBe(4401);
  });

  it('a second connection_init: close 4429', async () => {
    const client = await openSocket(url(endpoint), from());
    client.send({ type: 'connection_init', payload: {} });
    expect((await client.closed).code).toBe(4429);
  });

  it('more sockets than the per-address cap: the upgrade is answered 429', async () => {
    const address = freshAddress();
    const headers = { 'x-forwarded-for': address };
    const open = [];
    for (let i = 0; i < 20; i++) open.push(await upgradeStatus(url(endpoint), headers));
    expect(open.map((o) => o.status)).toEqual(Array(20).fill(101));
    expect((await upgradeStatus(url(endpoint), headers)).status).toBe(429);
    // Another address is not affected.
    const other = await upgradeStatus(url(endpoint), { 'x-forwarded-for': freshAddress() });
    expect(other.status).toBe(101);
    for (const { socket } of [...open, other]) socket?.close();
  });
});

const alice = () => supergraph.tokenFor({ userId: findDemoUser('alice').id, roles: ['CUSTOMER'] });
const aliceOrder = orders.find((o) => o.customerId === findDemoUser('alice').id)!.id;
const ORDER_STATUS = 'subscription($id: ID!) { orderStatusChanged(orderId: $id) { id status } }';

/** `subscribe` frames for Alice's order with ids `from` .. `to - 1`, all in one burst. */
function sendBurst(client: RawSocket, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    client.send({
      id: String(i),
      type: 'subscribe',
      payload: { query: ORDER_STATUS, variables: { id: aliceOrder } },
    });
  }
}

type Extensions = { code: string; retryAfterSeconds?: number };
/** The first error of every `error` message so far: a subscription refused before it started. */
const refusalsOf = (client: RawSocket) =>
  client.messages
    .filter((m) => m.type === 'error')
    .map((m) => (m.payload as { extensions: Extensions }[])[0]!.extensions);
/** The ids whose first event carried the order (a refusal from upstream arrives as `next`). */
const openedIds = (client: RawSocket) =>
  new Set(
    client.messages
      .filter((m) => m.type === 'next' && (m.payload as { data?: unknown }).data)
      .map((m) => m.id),
  );
/** Errors that arrived as events: a subscription that started and then failed. */
const failedEvents = (client: RawSocket) =>
  client.messages.filter(
    (m) => m.type === 'next' && (m.payload as { errors?: unknown[] }).errors?.length,
  );

describe('the subscription limit holds under a burst', () => {
  // Its own platform with the start rate out of the way: this is about the slot limit alone.
  let slotted: TestSupergraph;
  beforeAll(async () => {
    slotted = await startHostileSupergraph({
      PAYMENT_TIMEOUT_SECONDS: '86400',
      WS_SUBSCRIBES_PER_SECOND: '1000',
    });
  });
  afterAll(async () => {
    await slotted?.stop();
  });

  it.each(['gateway', 'order'])(
    '%s: 150 subscribe frames in one burst with a limit of 100 open 100 and refuse 50',
    async (endpoint) => {
      const endpointUrl = endpointsOf(slotted).find(([name]) => name === endpoint)![1];
      const token = slotted.tokenFor({ userId: findDemoUser('alice').id, roles: ['CUSTOMER'] });
      const client = await openSocket(endpointUrl, { ...from(), token });
      sendBurst(client, 0, 150);
      await until(() => refusalsOf(client).length >= 50 && openedIds(client).size >= 100, 20_000);
      const refused = refusalsOf(client);
      expect(refused).toHaveLength(50);
      expect(new Set(refused.map((error) => error.code))).toEqual(new Set(['RATE_LIMITED']));
      expect(openedIds(client).size).toBe(100);
      client.socket.close();
    },
  );
});

describe('the subscription start rate holds under a burst', () => {
  // The gateway's default rate is 20 a second per socket (its clients are end users).
  it('gateway: 60 subscribe frames in one burst open 20 and refuse 40 with retryAfterSeconds; after the window, 20 more open', async () => {
    const client = await openSocket(url('gateway'), { ...from(), token: alice() });
    sendBurst(client, 0, 60);
    await until(() => refusalsOf(client).length >= 40 && openedIds(client).size >= 20, 20_000);
    const refused = refusalsOf(client);
    expect(refused).toHaveLength(40);
    expect(new Set(refused.map((error) => error.code))).toEqual(new Set(['RATE_LIMITED']));
    expect(refused.map((error) => error.retryAfterSeconds)).toEqual(Array(40).fill(1));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // Nothing started for a refused id.
    expect(openedIds(client).size).toBe(20);
    // Refused ids are free again (a held id would close the socket with 4409).
    sendBurst(client, 20, 40);
    await until(() => openedIds(client).size >= 40, 20_000);
    expect(refusalsOf(client)).toHaveLength(40);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    client.socket.close();
  });

  it("gateway: one principal's sockets, each within its rate, all open though they share one upstream connection", async () => {
    // Subscriptions of one principal to one subgraph share the gateway's upstream connection,
    // so the subgraph's per-socket rate must leave room for all of that principal's sockets.
    const token = alice();
    const sockets = [
      await openSocket(url('gateway'), { ...from(), token }),
      await openSocket(url('gateway'), { ...from(), token }),
      await openSocket(url('gateway'), { ...from(), token }),
    ];
    for (const client of sockets) sendBurst(client, 0, 20);
    await until(
      () =>
        sockets.every(
          (client) =>
            openedIds(client).size + failedEvents(client).length + refusalsOf(client).length >= 20,
        ),
      20_000,
    );
    for (const client of sockets) {
      expect(refusalsOf(client)).toEqual([]);
      expect(failedEvents(client)).toEqual([]);
      expect(openedIds(client).size).toBe(20);
      client.socket.close();
    }
  });
});

describe('subscribe is authorized', () => {
  it('the shield refuses an anonymous subscriber at subscribe time (no stream opens)', async () => {
    const client = await openSocket(url('order'), from());
    client.send({
      id: 'a',
      type: 'subscribe',
      payload: {
        query: 'subscription($id: ID!) { orderStatusChanged(orderId: $id) { id } }',
        variables: { id: aliceOrder },
      },
    });
    await until(() => client.messages.some((m) => m.id === 'a'));
    const answer = client.messages.find((m) => m.id === 'a')!;
    const errors = (answer.payload as { errors?: { extensions: { code: string } }[] }).errors;
    expect(errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    client.socket.close();
  });
});
