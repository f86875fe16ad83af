import { describe, expect, it } from 'vitest';
import { ServiceMetrics } from './metrics.ts';

describe('ServiceMetrics', () => {
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
