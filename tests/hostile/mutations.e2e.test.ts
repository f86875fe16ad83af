import { generateKeyPair } from '@sky/auth';
import { addresses, DEMO_PASSWORD, findDemoUser, merchants, orders } from '@sky/demo-data';
import { graphql, postRaw, tokenSigner, type GraphQLResponse } from '@sky/testkit';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestSupergraph } from '../supergraph.ts';
import { fingerprint, freshAddress, openSocket, startHostileSupergraph } from './harness.ts';

/**
 * Refused mutations, table-driven, through the gateway and straight to the owning subgraph:
 * each asserts its code and that every table of every subgraph's database is exactly as it was
 * (a digest of all rows before and after).
 */
let supergraph: TestSupergraph;
beforeAll(async () => {
  supergraph = await startHostileSupergraph({
    PAYMENT_TIMEOUT_SECONDS: '86400',
    LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE: '5',
    REGISTRATIONS_PER_ADDRESS_PER_HOUR: '2',
  });
});
afterAll(async () => {
  await supergraph?.stop();
});

const alice = findDemoUser('alice');
const bob = findDemoUser('bob');
const staff = findDemoUser('staff-noodle-house');
const aliceAddress = addresses.find((a) => a.userId === alice.id)!;
const bobOrder = orders.find((o) => o.customerId === bob.id)!;
const aliceOrder = orders.find((o) => o.customerId === alice.id && o.status === 'CONFIRMED')!;
const noodleHouse = merchants.find((m) => m.name.includes('Noodle'))!;

const tokenOf = (user: { id: string; roles: string[]; merchantId: string | null }) =>
  supergraph.tokenFor({
    userId: user.id,
    roles: user.roles as never,
    merchantId: user.merchantId,
  });
const gateway = () => supergraph.gatewayUrl;
const subgraph = (name: string) => supergraph.subgraphUrls[name]!;
const from = (address = freshAddress()) => ({ 'x-forwarded-for': address });

const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { user { id } } }`;
const LOGIN = `mutation($email: String!, $password: String!) {
  login(input: { email: $email, password: $password }) { accessToken } }`;
const ADD_ADDRESS = `mutation($input: AddAddressInput!) { addAddress(input: $input) { id } }`;
const newAddress = {
  contactName: 'Mallory',
  phone: '13800000000',
  detail: '上海市 某路 1 号',
  location: { latitude: 31.23, longitude: 121.47 },
};
const registration = (email = `m-${randomUUID()}@example.com`, extra: object = {}) => ({
  input: { email, password: 'a long password', name: 'Mallory', ...extra },
});
const PLACE_ORDER = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`;
const placement = (deliverAt: unknown) => ({
  input: {
    merchantId: noodleHouse.id,
    addressId: aliceAddress.id,
    idempotencyKey: randomUUID(),
    tablewareCount: 1,
    deliverAt,
  },
});

type Attempt = () => Promise<{ status: number; code: unknown }>;
const coded = (response: GraphQLResponse) => ({
  status: response.status,
  code:
    response.errors?.[0]?.extensions?.code ??
    (response as { error?: { code?: unknown } }).error?.code,
});
const send = (...args: Parameters<typeof graphql>) => graphql(...args).then(coded);

/** POST to a route beside /graphql (webhooks, internal endpoints). */
async function postBeside(graphqlUrl: string, path: string, body: string, headers = {}) {
  return coded(
    await postRaw(graphqlUrl.replace(/\/graphql$/, path), body, {
      'content-type': 'application/json',
      ...headers,
    }),
  );
}

const cases: [string, Attempt, string][] = [
  [
    'register with a ReDoS-shaped email (gateway)',
    () => send(gateway(), REGISTER, { variables: registration(`a@${'a.'.repeat(40_000)}`) }),
    'BAD_USER_INPUT',
  ],
  [
    'register with a ReDoS-shaped email (user subgraph)',
    () => send(subgraph('user'), REGISTER, { variables: registration(`${'a'.repeat(45_000)}@x`) }),
    'BAD_USER_INPUT',
  ],
  [
    'register 31 accounts in one request (aliases)',
    () =>
      send(
        gateway(),
        `mutation { ${Array.from(
          { length: 31 },
          (_, i) =>
            `r${i}: register(input: { email: "bulk${i}-${randomUUID()}@example.com", password: "a long password", name: "x" }) { user { id } }`,
        ).join(' ')} }`,
      ),
    'GRAPHQL_VALIDATION_FAILED',
  ],
  [
    'register an existing email',
    () => send(gateway(), REGISTER, { variables: registration(alice.email) }),
    'CONFLICT',
  ],
  [
    'register with a too short password',
    () => send(gateway(), REGISTER, { variables: registration(undefined, { password: 'short' }) }),
    'BAD_USER_INPUT',
  ],
  [
    'register with a body over the limit',
    () =>
      send(gateway(), REGISTER, {
        variables: registration(undefined, { name: 'x'.repeat(200_000) }),
      }),
    'PAYLOAD_TOO_LARGE',
  ],
  [
    'sign in with a wrong password',
    () =>
      send(gateway(), LOGIN, {
        variables: { email: alice.email, password: 'wrong password' },
        headers: from(),
      }),
    'UNAUTHENTICATED',
  ],
  [
    'add an address without signing in (gateway)',
    () => send(gateway(), ADD_ADDRESS, { variables: { input: newAddress } }),
    'UNAUTHENTICATED',
  ],
  [
    'add an address without signing in (user subgraph)',
    () => send(subgraph('user'), ADD_ADDRESS, { variables: { input: newAddress } }),
    'UNAUTHENTICATED',
  ],
  [
    'add an address with a forged ADMIN token',
    () =>
      send(gateway(), ADD_ADDRESS, {
        variables: { input: newAddress },
        token: tokenSigner(generateKeyPair()).signAccessToken({
          userId: alice.id,
          roles: ['ADMIN'],
          merchantId: null,
        }).token,
      }),
    'UNAUTHENTICATED',
  ],
  [
    "change someone else's address",
    () =>
      send(
        gateway(),
        'mutation($id: ID!) { updateAddress(id: $id, input: { label: "pwned" }) { id } }',
        {
          variables: { id: aliceAddress.id },
          token: tokenOf(bob),
        },
      ),
    'FORBIDDEN',
  ],
  [
    "delete someone else's address (user subgraph)",
    () =>
      send(subgraph('user'), 'mutation($id: ID!) { deleteAddress(id: $id) { deletedAddressId } }', {
        variables: { id: aliceAddress.id },
        token: tokenOf(bob),
      }),
    'FORBIDDEN',
  ],
  [
    'place an order with deliverAt "tomorrow" (gateway)',
    () => send(gateway(), PLACE_ORDER, { variables: placement('tomorrow'), token: tokenOf(alice) }),
    'BAD_USER_INPUT',
  ],
  [
    'place an order with deliverAt "tomorrow" (order subgraph)',
    () =>
      send(subgraph('order'), PLACE_ORDER, {
        variables: placement('tomorrow'),
        token: tokenOf(alice),
      }),
    'BAD_USER_INPUT',
  ],
  [
    'place an order as merchant staff',
    () => send(gateway(), PLACE_ORDER, { variables: placement(null), token: tokenOf(staff) }),
    'FORBIDDEN',
  ],
  [
    "pay someone else's order",
    () =>
      send(gateway(), 'mutation($input: PayOrderInput!) { payOrder(input: $input) { id } }', {
        variables: { input: { orderId: bobOrder.id, idempotencyKey: randomUUID() } },
        token: tokenOf(alice),
      }),
    'FORBIDDEN',
  ],
  [
    'accept an order as a customer',
    () =>
      send(gateway(), 'mutation($id: ID!) { acceptOrder(id: $id) { id } }', {
        variables: { id: bobOrder.id },
        token: tokenOf(alice),
      }),
    'FORBIDDEN',
  ],
  [
    'cancel any order as a customer through the admin mutation (order subgraph)',
    () =>
      send(
        subgraph('order'),
        'mutation($id: ID!) { adminCancelOrder(id: $id, reason: "x") { id } }',
        {
          variables: { id: aliceOrder.id },
          token: tokenOf(alice),
        },
      ),
    'FORBIDDEN',
  ],
  [
    'create a category as a customer',
    () =>
      send(gateway(), 'mutation { createCategory(input: { name: "x", type: DISH }) { id } }', {
        token: tokenOf(alice),
      }),
    'FORBIDDEN',
  ],
  [
    'create a category anonymously (catalog subgraph)',
    () =>
      send(
        subgraph('catalog'),
        'mutation { createCategory(input: { name: "x", type: DISH }) { id } }',
      ),
    'UNAUTHENTICATED',
  ],
  [
    'go online as a customer (delivery subgraph)',
    () =>
      send(
        subgraph('delivery'),
        'mutation { goOnline(location: { latitude: 31.2, longitude: 121.4 }) { id } }',
        { token: tokenOf(alice) },
      ),
    'FORBIDDEN',
  ],
  [
    'a mutation sent over GET',
    async () => {
      const response = await fetch(
        `${gateway()}?query=${encodeURIComponent('mutation { logout(refreshToken: "x") }')}`,
        { headers: { 'apollo-require-preflight': '1' } },
      );
      return coded({
        status: response.status,
        headers: response.headers,
        ...((await response.json()) as object),
      });
    },
    'BAD_REQUEST',
  ],
  [
    'a mutation sent over the WebSocket',
    async () => {
      const client = await openSocket(gateway(), { headers: from() });
      client.send({
        id: '1',
        type: 'subscribe',
        payload: { query: REGISTER, variables: registration() },
      });
      const code = await client.errorCode('1');
      client.socket.close();
      return { status: 0, code };
    },
    'BAD_REQUEST',
  ],
  [
    'an unsigned payment callback (webhook)',
    () =>
      postBeside(
        subgraph('payment'),
        '/webhooks/sandbox',
        JSON.stringify({ eventId: 'evt_x', status: 'SUCCEEDED', padding: 'x'.repeat(60_000) }),
      ),
    'INVALID_SIGNATURE',
  ],
  [
    'an oversized payment callback (webhook)',
    () =>
      postBeside(
        subgraph('payment'),
        '/webhooks/sandbox',
        JSON.stringify({ padding: 'x'.repeat(100_000) }),
      ),
    'PAYLOAD_TOO_LARGE',
  ],
  [
    'reserve stock on the internal endpoint without the service token',
    () =>
      postBeside(
        subgraph('catalog'),
        '/internal/reserve-stock',
        JSON.stringify({ orderId: randomUUID(), items: [] }),
      ),
    'UNAUTHENTICATED',
  ],
];

describe('refused mutations change nothing', () => {
  it('(the digest does see a change: an accepted mutation alters it)', async () => {
    const before = await fingerprint(supergraph);
    const accepted = await graphql(gateway(), ADD_ADDRESS, {
      variables: { input: newAddress },
      token: tokenOf(bob),
    });
    expect(accepted.errors).toBeUndefined();
    expect(await fingerprint(supergraph)).not.toEqual(before);
  });

  it.each(cases)('%s', async (_name, attempt, code) => {
    const before = await fingerprint(supergraph);
    const { code: answered } = await attempt();
    expect(answered).toBe(code);
    expect(await fingerprint(supergraph)).toEqual(before);
  });

  it('the sign-in flood from one address is cut off, and changes nothing', async () => {
    const address = freshAddress();
    const codes: unknown[] = [];
    const before = await fingerprint(supergraph);
    for (let i = 0; i < 6; i++) {
      const response = await graphql(gateway(), LOGIN, {
        variables: { email: `nobody${i}@example.com`, password: 'guess' },
        headers: from(address),
      });
      codes.push(response.errors?.[0]?.extensions?.code);
    }
    expect(codes).toEqual([...Array(5).fill('UNAUTHENTICATED'), 'RATE_LIMITED']);
    expect(await fingerprint(supergraph)).toEqual(before);
    // The owner, elsewhere, is not held back.
    const owner = await graphql(gateway(), LOGIN, {
      variables: { email: alice.email, password: DEMO_PASSWORD },
      headers: from(),
    });
    expect(owner.errors).toBeUndefined();
  });

  it('registrations beyond the per-address limit are refused and create nothing', async () => {
    const address = freshAddress();
    for (let i = 0; i < 2; i++) {
      const ok = await graphql(gateway(), REGISTER, {
        variables: registration(),
        headers: from(address),
      });
      expect(ok.errors).toBeUndefined();
    }
    const before = await fingerprint(supergraph);
    const refused = await graphql(gateway(), REGISTER, {
      variables: registration(),
      headers: from(address),
    });
    expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(refused.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    expect(await fingerprint(supergraph)).toEqual(before);
  });
});
