import { generateKeyPair } from '@sky/auth';
import { ConfigError } from '@sky/config';
import { CATALOG_CHANGED_CHANNEL, createLivePubSub } from '@sky/events';
import { graphql, TEST_ENV, tokenSigner } from '@sky/testkit';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, loadConfig, type Gateway } from '../src/index.ts';

/**
 * The response cache in embedded mode (no REDIS_URL: the in-memory store and the in-process live
 * channel), over a catalog subgraph that counts what reaches it.
 */
let catalog: Server;
let received = 0;
let gateway: Gateway;
let gatewayUrl: string;
const namespace = `sky-cache-${randomBytes(4).toString('hex')}`;
const keys = generateKeyPair();
const token = tokenSigner(keys).signAccessToken({
  userId: 'u1',
  roles: ['CUSTOMER'],
  merchantId: null,
}).token;
const MERCHANTS = '{ merchants(first: 1) { edges { node { name } } } }';

beforeAll(async () => {
  catalog = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({ data: { merchants: { edges: [{ node: { name: `v${received}` } }] } } }),
      );
    });
  });
  await new Promise<void>((resolve) => catalog.listen(0, '127.0.0.1', resolve));
  gateway = await createGateway(
    loadConfig({
      ...TEST_ENV,
      SKY_MODE: 'embedded',
      EVENT_NAMESPACE: namespace,
      JWT_PUBLIC_KEY: keys.publicKeyPem,
      SUBGRAPH_DEDUP: 'off',
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

describe('response cache in embedded mode', () => {
  it('sends a repeated anonymous catalog query to the subgraph once, until the catalog changes', async () => {
    const before = received;
    const first = await graphql(gatewayUrl, MERCHANTS);
    const second = await graphql(gatewayUrl, MERCHANTS);
    expect(received - before).toBe(1);
    expect(second.data).toEqual(first.data);
    expect(second.headers.get('x-cache')).toBe('HIT');

    // What the catalog publishes after a change commits (in process when embedded).
    const live = createLivePubSub({ redisUrl: null, namespace });
    await live.publish(CATALOG_CHANGED_CHANNEL, { changeId: 'change-1', merchantId: null });
    const third = await graphql(gatewayUrl, MERCHANTS);
    expect(third.headers.get('x-cache')).toBe('MISS');
    expect(received - before).toBe(2);
    expect(third.data).not.toEqual(first.data);
    expect(gateway.responseCache?.counts.invalidations).toBe(1);
  });

  it('sends every signed-in request to the subgraph', async () => {
    await graphql(gatewayUrl, MERCHANTS);
    const before = received;
    await graphql(gatewayUrl, MERCHANTS, { token });
    await graphql(gatewayUrl, MERCHANTS, { token });
    expect(received - before).toBe(2);
  });

  it('never caches a mutation', async () => {
    const before = received;
    await graphql(gatewayUrl, 'mutation { deleteDish(id: "d1") }');
    await graphql(gatewayUrl, 'mutation { deleteDish(id: "d1") }');
    expect(received - before).toBe(2);
  });
});

describe('response cache settings', () => {
  const base = { JWT_PUBLIC_KEY: 'pem', SKY_MODE: 'embedded' };
  it('is on with a 30 s TTL by default, in memory without REDIS_URL', () => {
    expect(loadConfig(base).responseCache).toEqual({
      enabled: true,
      ttlSeconds: 30,
      maxEntries: 10_000,
      redisUrl: null,
      namespace: 'sky',
    });
  });
  it('reads RESPONSE_CACHE and its TTL, and refuses a TTL that is not a positive integer', () => {
    const off = loadConfig({ ...base, RESPONSE_CACHE: 'off', RESPONSE_CACHE_TTL_SECONDS: '5' });
    expect(off.responseCache).toMatchObject({ enabled: false, ttlSeconds: 5 });
    expect(() => loadConfig({ ...base, RESPONSE_CACHE_TTL_SECONDS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, RESPONSE_CACHE: 'maybe' })).toThrow(ConfigError);
  });
});
