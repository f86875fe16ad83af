import { generateKeyPair } from '@sky/auth';
import { demoId } from '@sky/demo-data';
import { createGateway, loadConfig as loadGatewayConfig } from '@sky/gateway';
import { createLogger } from '@sky/logging';
import {
  createUserSubgraph,
  loadConfig as loadUserConfig,
  seedUserDemoData,
} from '@sky/subgraph-user';
import { createTestDatabase, graphql, type TestDatabase } from '@sky/testkit';
import { TEST_ENV, tokenSigner } from '@sky/testkit';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/** Captures JSON log lines in memory. */
function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

const keys = generateKeyPair();
const gatewayLogs = captureLogs();
const userLogs = captureLogs();
const cleanup: (() => Promise<void>)[] = [];
let gatewayUrl = '';

beforeAll(async () => {
  const env = {
    ...TEST_ENV,
    LOG_LEVEL: 'debug',
    JWT_PUBLIC_KEY: keys.publicKeyPem,
    JWT_PRIVATE_KEY: keys.privateKeyPem,
  };
  const database: TestDatabase = await createTestDatabase('user');
  const user = await createUserSubgraph(
    loadUserConfig({ ...env, DATABASE_URL: database.url, REDIS_URL: 'redis://127.0.0.1:6379' }),
    createLogger('user', 'debug', userLogs.stream),
  );
  await seedUserDemoData(user);
  const { url: userUrl } = await user.listen(0);
  cleanup.push(user.close, database.drop);
  // Only the user subgraph is running: the operations below are planned onto it alone.
  const gateway = await createGateway(
    loadGatewayConfig({ ...env, SUBGRAPH_USER_URL: userUrl }),
    createLogger('gateway', 'debug', gatewayLogs.stream),
  );
  gatewayUrl = (await gateway.listen(0)).url;
  cleanup.push(gateway.stop);
});
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

describe('request ids', () => {
  it('tags the response and every log line of the request, in the gateway and the subgraph', async () => {
    const token = tokenSigner(keys).signAccessToken({
      userId: demoId('user:alice'),
      roles: ['CUSTOMER'],
      merchantId: null,
    }).token;
    const response = await graphql(gatewayUrl, '{ me { id name } }', { token });
    const requestId = response.extensions?.requestId as string;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-request-id')).toBe(requestId);

    // 'request finished' is logged once the response is flushed, so it may trail the client.
    await vi.waitFor(() => {
      const gatewayLines = gatewayLogs.lines.filter((l) => l.requestId === requestId);
      const userLines = userLogs.lines.filter((l) => l.requestId === requestId);
      expect(gatewayLines.some((l) => l.msg === 'request finished' && l.path === '/graphql')).toBe(
        true,
      );
      // The gateway forwards the id, so the subgraph's lines for this request carry it too.
      expect(userLines.some((l) => l.msg === 'request finished')).toBe(true);
    });
    // Every request-scoped line (an HTTP request line) carries some request id.
    for (const line of [...gatewayLogs.lines, ...userLogs.lines]) {
      if (line.msg === 'request finished') expect(typeof line.requestId).toBe('string');
    }
  });

  it('keeps a well-formed incoming x-request-id and replaces a malformed one', async () => {
    const kept = await graphql(gatewayUrl, '{ __typename }', {
      headers: { 'x-request-id': 'frontend-trace-42' },
    });
    expect(kept.extensions?.requestId).toBe('frontend-trace-42');
    const replaced = await graphql(gatewayUrl, '{ __typename }', {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(replaced.extensions?.requestId).not.toBe('bad id with spaces');
  });

  it('puts the request id on error responses and logs unexpected errors under it', async () => {
    const response = await graphql(gatewayUrl, '{ me { id } }', {
      headers: { authorization: 'Bearer nope' },
    });
    expect(response.status).toBe(401);
    const requestId = response.errors?.[0]?.extensions?.requestId;
    expect(
      gatewayLogs.lines.some((l) => l.requestId === requestId && l.msg === 'rejected bad token'),
    ).toBe(true);
  });
});
