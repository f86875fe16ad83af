import { ServiceMetrics, metricsEndpoint } from '@sky/telemetry';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireMetricsToken } from './metrics.ts';

let server: Server;
let url: string;
beforeAll(async () => {
  const app = express();
  const metrics = new ServiceMetrics('order', { runtime: false });
  app.get('/metrics', requireMetricsToken('a-metrics-token-0123'), metricsEndpoint(metrics));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('/metrics with METRICS_TOKEN', () => {
  it('refuses a scrape without the token or with another one, and shows nothing', async () => {
    const without = await fetch(url);
    expect(without.status).toBe(401);
    expect(await without.text()).not.toContain('sky_');
    const wrong = await fetch(url, { headers: { authorization: 'Bearer a-metrics-token-0124' } });
    expect(wrong.status).toBe(401);
  });

  it('answers a scrape with the token', async () => {
    const right = await fetch(url, { headers: { authorization: 'Bearer a-metrics-token-0123' } });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('sky_http_requests_in_flight{service="order"} 0');
  });
});
