/**
 * Embedded-mode figures: cold start (empty data directory: migrations + seed), warm start, RSS,
 * and the latency of one cross-subgraph query through the gateway beside a trivial query's
 * (`{ __typename }`, answered by the gateway alone) in the same run.
 *   npm run bench:embedded [-- --requests 300]
 */
import { findDemoUser, DEMO_PASSWORD, orders } from '@sky/demo-data';
import { startPlatform } from '@sky/embedded';
import { createLogger } from '@sky/logging';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const requestsArg = process.argv.indexOf('--requests');
const requests = requestsArg > 0 ? Number(process.argv[requestsArg + 1]) : 300;
const dataDir = mkdtempSync(join(tmpdir(), 'sky-bench-'));
const options = {
  storage: { mode: 'embedded' as const, dataDir },
  seed: true,
  gatewayPort: 0,
  host: '127.0.0.1',
  env: { LOG_LEVEL: 'silent' },
  logger: createLogger('bench', 'silent'),
};

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function post(url: string, query: string, variables: object, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function measure(run: () => Promise<unknown>) {
  for (let i = 0; i < 20; i++) await run(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b);
}

const ORDER_QUERY = `query($id: ID!) { order(id: $id) { orderNumber status customer { name }
  merchant { name } items { name dish { name } } payment { status } delivery { rider { user { name } } } } }`;

try {
  let started = performance.now();
  let platform = await startPlatform(options);
  const coldMs = performance.now() - started;
  await platform.stop();
  started = performance.now();
  platform = await startPlatform(options);
  const warmMs = performance.now() - started;
  const rssAfterStart = process.memoryUsage().rss;

  const login = (await post(
    platform.gatewayUrl,
    'mutation($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { accessToken } }',
    { e: findDemoUser('alice').email, p: DEMO_PASSWORD },
  )) as { login: { accessToken: string } };
  const token = login.login.accessToken;
  const orderId = orders.find((o) => o.status === 'COMPLETED')!.id;

  const baseline = await measure(() => post(platform.gatewayUrl, '{ __typename }', {}));
  const crossSubgraph = await measure(() =>
    post(platform.gatewayUrl, ORDER_QUERY, { id: orderId }, token),
  );
  const rssAfterLoad = process.memoryUsage().rss;
  await platform.stop();

  console.log(`embedded mode, ${requests} sequential requests per query, Node ${process.version}`);
  console.log(`cold start (migrate + seed 5 PGlite databases): ${coldMs.toFixed(0)} ms`);
  console.log(`warm start (existing data directory):          ${warmMs.toFixed(0)} ms`);
  console.log(`RSS after start: ${mib(rssAfterStart)}, after the runs: ${mib(rssAfterLoad)}`);
  for (const [name, samples] of [
    ['{ __typename } (baseline)', baseline],
    ['order across 5 subgraphs', crossSubgraph],
  ] as const) {
    console.log(
      `${name.padEnd(28)} median ${percentile(samples, 50).toFixed(2)} ms  p95 ${percentile(samples, 95).toFixed(2)} ms`,
    );
  }
  console.log(
    `ratio cross-subgraph / baseline (medians): ${(percentile(crossSubgraph, 50) / percentile(baseline, 50)).toFixed(1)}x`,
  );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
