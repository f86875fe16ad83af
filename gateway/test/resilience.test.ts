import { generateKeyPair } from '@sky/auth';
import { graphql, TEST_ENV } from '@sky/testkit';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, loadConfig, type Gateway } from '../src/index.ts';

/**
 * Subgraph stand-ins that fail at the transport level, so what the gateway does about it is
 * visible: one cuts every connection as soon as a request arrives (and counts the requests),
 * one never answers.
 */
let resetting: Server;
let silent: Server;
const received: { body: string }[] = [];
let gateway: Gateway;
let gatewayUrl: string;
let shortBudgetGateway: Gateway;
let shortBudgetUrl: string;

const urlOf = (server: Server) =>
  `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
const listen = (server: Server) =>
  new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const close = async (server: Server) => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
};

beforeAll(async () => {
  resetting = createServer((req) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ body });
      req.socket.destroy();
    });
  });
  silent = createServer(() => {});
  await Promise.all([listen(resetting), listen(silent)]);
  const base = { ...TEST_ENV, JWT_PUBLIC_KEY: generateKeyPair().publicKeyPem };
  gateway = await createGateway(
    loadConfig({
      ...base,
      RETRY_ATTEMPTS: '2',
      RETRY_BASE_DELAY_MS: '5',
      // High enough that the breaker stays out of these counts.
      CIRCUIT_BREAKER_MIN_REQUESTS: '1000',
      SUBGRAPH_CATALOG_URL: urlOf(resetting),
      SUBGRAPH_USER_URL: urlOf(resetting),
    }),
  );
  gatewayUrl = (await gateway.listen(0)).url;
  shortBudgetGateway = await createGateway(
    loadConfig({ ...base, REQUEST_TIMEOUT_MS: '300', SUBGRAPH_CATALOG_URL: urlOf(silent) }),
  );
  shortBudgetUrl = (await shortBudgetGateway.listen(0)).url;
});
afterAll(async () => {
  await gateway?.stop();
  await shortBudgetGateway?.stop();
  await close(resetting);
  await close(silent);
});

const MERCHANTS = '{ merchants(first: 1) { edges { node { name } } } }';

describe('retries', () => {
  it('retries a read whose connection failed, then answers SERVICE_UNAVAILABLE at its field', async () => {
    received.length = 0;
    const response = await graphql(gatewayUrl, MERCHANTS);
    // The first attempt and the two retries (RETRY_ATTEMPTS) all reached the subgraph.
    expect(received).toHaveLength(3);
    expect(response.data?.merchants ?? null).toBeNull();
    expect(response.errors).toEqual([
      expect.objectContaining({
        path: ['merchants'],
        extensions: expect.objectContaining({
          code: 'SERVICE_UNAVAILABLE',
          reason: 'UNREACHABLE',
          retryAfterSeconds: 1,
        }),
      }),
    ]);
  });

  it('never repeats a mutation: one request reaches the subgraph', async () => {
    received.length = 0;
    const response = await graphql(gatewayUrl, 'mutation { logout(refreshToken: "gone") }');
    expect(received).toHaveLength(1);
    expect(received[0]!.body).toContain('logout');
    expect(response.errors?.[0]).toMatchObject({
      path: ['logout'],
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
  });
});

describe('deadlines', () => {
  it('answers DEADLINE_EXCEEDED at the field when the request budget runs out mid-fetch', async () => {
    const response = await graphql(shortBudgetUrl, MERCHANTS);
    expect(response.status).toBe(200);
    expect(response.errors?.[0]).toMatchObject({
      path: ['merchants'],
      extensions: { code: 'DEADLINE_EXCEEDED' },
    });
  });

  it('refuses at once a request whose caller has spent its budget', async () => {
    const response = await graphql(gatewayUrl, MERCHANTS, {
      headers: { 'x-request-timeout-ms': '0' },
    });
    expect(response.status).toBe(504);
    expect(response.errors?.[0]?.extensions?.code).toBe('DEADLINE_EXCEEDED');
  });
});
