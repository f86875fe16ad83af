import { generateKeyPair } from '@sky/auth';
import { graphql, TEST_ENV, tokenSigner } from '@sky/testkit';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGateway, loadConfig, type Gateway } from '../src/index.ts';

/**
 * A catalog subgraph that holds every request until the test releases them, so the gateway's
 * fetches are in flight together, and records what it received.
 */
let catalog: Server;
let received: { authorization: string | undefined; body: string }[] = [];
let held: (() => void)[] = [];
let gateway: Gateway;
let gatewayUrl: string;
const keys = generateKeyPair();
const signer = tokenSigner(keys);
const tokenOf = (userId: string) =>
  signer.signAccessToken({ userId, roles: ['CUSTOMER'], merchantId: null }).token;

const MERCHANTS = '{ merchants(first: 1) { edges { node { name } } } }';
const DELETE_DISH = 'mutation { deleteDish(id: "d1") }';

beforeAll(async () => {
  catalog = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ authorization: req.headers.authorization, body });
      held.push(() => {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            data: body.includes('deleteDish')
              ? { deleteDish: 'd1' }
              : { merchants: { edges: [{ node: { name: 'Noodle Bar' } }] } },
          }),
        );
      });
    });
  });
  await new Promise<void>((resolve) => catalog.listen(0, '127.0.0.1', resolve));
  gateway = await createGateway(
    loadConfig({
      ...TEST_ENV,
      JWT_PUBLIC_KEY: keys.publicKeyPem,
      SUBGRAPH_CATALOG_URL: `http://127.0.0.1:${(catalog.address() as AddressInfo).port}/graphql`,
    }),
  );
  gatewayUrl = (await gateway.listen(0)).url;
});
afterAll(async () => {
  await gateway?.stop();
  catalog.closeAllConnections();
  await new Promise((resolve) => catalog.close(resolve));
});
beforeEach(() => {
  received = [];
  held = [];
});

/** Sends the operations at once, waits until the subgraph holds `fetches` requests, releases them. */
async function concurrently(fetches: number, ...requests: (() => Promise<unknown>)[]) {
  const answers = Promise.all(requests.map((request) => request()));
  // The gateway has sent everything it will send once the subgraph holds `fetches` requests and
  // a short while has passed without another.
  while (received.length < fetches) await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (const release of held) release();
  return answers;
}

describe('in-flight deduplication of identical subgraph fetches', () => {
  it('sends identical concurrent reads of one principal once, and both get the answer', async () => {
    const token = tokenOf('u1');
    const [a, b] = (await concurrently(
      1,
      () => graphql(gatewayUrl, MERCHANTS, { token }),
      () => graphql(gatewayUrl, MERCHANTS, { token }),
    )) as Awaited<ReturnType<typeof graphql>>[];
    expect(received).toHaveLength(1);
    expect(a!.data).toEqual({ merchants: { edges: [{ node: { name: 'Noodle Bar' } }] } });
    expect(b!.data).toEqual(a!.data);
    expect(gateway.inFlight?.shared).toBeGreaterThanOrEqual(1);
  });

  it('never merges two principals: each token reaches the subgraph with its own fetch', async () => {
    const alice = tokenOf('alice');
    const bob = tokenOf('bob');
    await concurrently(
      2,
      () => graphql(gatewayUrl, MERCHANTS, { token: alice }),
      () => graphql(gatewayUrl, MERCHANTS, { token: bob }),
    );
    expect(received.map((r) => r.authorization).sort()).toEqual(
      [`Bearer ${alice}`, `Bearer ${bob}`].sort(),
    );
  });

  it('never merges an anonymous caller with a signed-in one', async () => {
    const token = tokenOf('u2');
    await concurrently(
      2,
      () => graphql(gatewayUrl, MERCHANTS),
      () => graphql(gatewayUrl, MERCHANTS, { token }),
    );
    expect(received.map((r) => r.authorization ?? null).sort()).toEqual(
      [`Bearer ${token}`, null].sort(),
    );
  });

  it('sends every mutation, even identical ones of one principal at the same moment', async () => {
    const token = tokenOf('merchant');
    await concurrently(
      2,
      () => graphql(gatewayUrl, DELETE_DISH, { token }),
      () => graphql(gatewayUrl, DELETE_DISH, { token }),
    );
    expect(received).toHaveLength(2);
    expect(received.every((r) => r.body.includes('deleteDish'))).toBe(true);
  });
});
