import type { ResilienceSettings } from '@sky/config';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestInternal, type InternalClientOptions } from '../internal-api.ts';
import { Deadline, runWithDeadline } from './deadline.ts';
import { createRemoteCalls } from './remote-calls.ts';

const settings: ResilienceSettings = {
  requestTimeoutMs: 15_000,
  shutdownGraceMs: 1_000,
  breaker: { resetTimeoutMs: 60_000, errorThresholdPercentage: 50, volumeThreshold: 3 },
  retry: { attempts: 2, baseDelayMs: 5 },
};

/** A callee that answers `{ data }` and records the budget each call announced. */
let answering: Server;
const budgets: string[] = [];
/** A callee that cuts every connection once a request arrived, counting the requests. */
let resetting: Server;
let resets = 0;

const baseUrl = (server: Server) =>
  `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
const listen = (server: Server) =>
  new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

beforeAll(async () => {
  answering = createServer((req, res) => {
    budgets.push(String(req.headers['x-request-timeout-ms']));
    req.resume();
    req.on('end', () => res.setHeader('content-type', 'application/json').end('{"data":{}}'));
  });
  resetting = createServer((req) => {
    resets++;
    req.resume();
    req.on('end', () => req.socket.destroy());
  });
  await Promise.all([listen(answering), listen(resetting)]);
});
afterAll(async () => {
  for (const server of [answering, resetting]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const options = (server: Server, calls = createRemoteCalls(settings)): InternalClientOptions => ({
  baseUrl: baseUrl(server),
  token: 't',
  timeoutMs: 5_000,
  calls,
  callee: 'catalog',
});

describe('internal calls', () => {
  it("send what is left of the request's budget, not their own timeout", async () => {
    budgets.length = 0;
    await runWithDeadline(new Deadline(800), () => requestInternal(options(answering), 'x', {}));
    const announced = Number(budgets[0]);
    expect(announced).toBeGreaterThan(0);
    expect(announced).toBeLessThanOrEqual(800);
  });

  it('retry an idempotent call after a transport failure, and never another one', async () => {
    resets = 0;
    const idempotent = requestInternal(options(resetting), 'x', {}, undefined, {
      idempotent: true,
    });
    await expect(idempotent).rejects.toMatchObject({
      extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'UNREACHABLE' },
    });
    expect(resets).toBe(3);
    resets = 0;
    await expect(requestInternal(options(resetting), 'x', {})).rejects.toMatchObject({
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
    expect(resets).toBe(1);
  });

  it("open the callee's breaker after repeated failures, then fail fast without calling", async () => {
    const registry = new Registry();
    const calls = createRemoteCalls(settings, { registry });
    for (let i = 0; i < 3; i++)
      await requestInternal(options(resetting, calls), 'x', {}).catch(() => {});
    resets = 0;
    await expect(requestInternal(options(resetting, calls), 'x', {})).rejects.toMatchObject({
      extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'CIRCUIT_OPEN', retryAfterSeconds: 60 },
    });
    expect(resets).toBe(0);
    expect(calls.breakers.state('catalog')).toBe('open');
    expect(await registry.metrics()).toContain('sky_circuit_breaker_open{target="catalog"} 1');
    calls.breakers.shutdown();
  });

  it('refuse at once when the budget is already spent', async () => {
    budgets.length = 0;
    const spent = new Deadline(0);
    await expect(
      runWithDeadline(spent, () => requestInternal(options(answering), 'x', {})),
    ).rejects.toMatchObject({ extensions: { code: 'DEADLINE_EXCEEDED' } });
    expect(budgets).toEqual([]);
  });
});
