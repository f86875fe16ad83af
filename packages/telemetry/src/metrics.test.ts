import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { metricsEndpoint, ServiceMetrics } from './metrics.ts';

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

async function serve(metrics: ServiceMetrics, token: string | null): Promise<string> {
  server = createServer(metricsEndpoint(metrics, { token }));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

describe('metricsEndpoint', () => {
  it('refuses a scrape without the configured bearer token and answers one with it', async () => {
    const url = await serve(
      new ServiceMetrics('order', { runtime: false }),
      'a-metrics-token-0123',
    );
    const without = await fetch(url);
    expect(without.status).toBe(401);
    expect(await without.text()).not.toContain('sky_');
    const wrong = await fetch(url, { headers: { authorization: 'Bearer a-metrics-token-0124' } });
    expect(wrong.status).toBe(401);
    const right = await fetch(url, { headers: { authorization: 'Bearer a-metrics-token-0123' } });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('sky_http_requests_in_flight{service="order"} 0');
  });

  it('keeps each service in its own registry, so two services in one process never mix', async () => {
    const gateway = new ServiceMetrics('gateway', { runtime: false });
    const user = new ServiceMetrics('user', { runtime: false });
    gateway.httpInFlight.inc();
    expect(await gateway.render()).toContain('sky_http_requests_in_flight{service="gateway"} 1');
    expect(await user.render()).toContain('sky_http_requests_in_flight{service="user"} 0');
  });

  it('runs scrape-time readings before rendering and counts a failing one instead of failing the scrape', async () => {
    const metrics = new ServiceMetrics('payment', { runtime: false });
    metrics.sampleOnScrape('outbox', () => metrics.events.outboxPending.set(7));
    metrics.sampleOnScrape('jobs', () => Promise.reject(new Error('database down')));
    const text = await metrics.render();
    expect(text).toContain('sky_outbox_pending_events{service="payment"} 7');
    expect(text).toContain(
      'sky_metrics_sampler_failures_total{sampler="jobs",service="payment"} 1',
    );
  });
});
