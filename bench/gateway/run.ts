/**
 * `npm run bench:gateway`: vanilla Apollo Gateway against our gateway (the built
 * gateway/dist/main.js) in front of the same four subgraphs, on The Guild's
 * graphql-gateways-benchmark workload: its subgraph shapes and data (bench/gateway/subgraphs.ts),
 * its one nested query (~88 KB answer), 50 keep-alive connections (autocannon).
 *
 * Rounds alternate, A B A B ... (`--rounds`, default 3 each); every round starts a fresh gateway
 * process, checks its answer is the same as the other's, warms it up, then loads it for
 * `--requests` queries. Printed per gateway: medians over rounds of requests per second, p95 and p99
 * latency, peak RSS under load and idle RSS after the warm-up, and subgraph requests per query
 * (counted in the subgraphs); then ours / vanilla.
 *
 * Options: --rounds 3 --requests 500 --warmup 100 (queries) --connections 50 --max-seconds 120;
 * --no-dedup-too also runs ours with SUBGRAPH_DEDUP=off; --before <path/to/main.js> also runs
 * another build of ours (a copy of gateway/dist at the same depth, e.g. gateway/.before/). Build first: `npm run build`.
 */
import autocannon from 'autocannon';
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { generateKeyPairSync } from 'node:crypto';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'graphql';
import { median, numberArg, percentile } from '../measure.ts';
import { BENCHMARK_QUERY } from './data.ts';
import { SUBGRAPHS } from './subgraphs.ts';

const rounds = numberArg('rounds', 3);
const requests = numberArg('requests', 500);
const warmupRequests = numberArg('warmup', 100);
const maxSeconds = numberArg('max-seconds', 120);
const connections = numberArg('connections', 50);
const SUBGRAPH_PORT = 4271;
const GATEWAY_PORT = 4272;
const root = join(import.meta.dirname, '..', '..');
const builtGateway = join(root, 'gateway', 'dist', 'main.js');
if (!existsSync(builtGateway)) {
  console.error(`${builtGateway} is missing: run \`npm run build\` first.`);
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'bench-gateway-'));
const composed = composeServices(
  Object.entries(SUBGRAPHS).map(([name, schema]) => ({
    name,
    url: `http://127.0.0.1:${SUBGRAPH_PORT}/${name}`,
    typeDefs: parse(printSubgraphSchema(schema)),
  })),
);
if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
const supergraphPath = join(work, 'supergraph.graphql');
writeFileSync(supergraphPath, composed.supergraphSdl);
const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const body = JSON.stringify({ query: BENCHMARK_QUERY, operationName: 'TestQuery' });
const gatewayUrl = `http://127.0.0.1:${GATEWAY_PORT}/graphql`;

interface Contender {
  name: string;
  start: () => ChildProcess;
}

/** One of our gateway's builds, as deployed: production settings, the rest at its defaults. */
const ourGateway =
  (main: string, extraEnv: Record<string, string> = {}) =>
  () =>
    spawn(process.execPath, [main], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        PORT: String(GATEWAY_PORT),
        SUPERGRAPH_PATH: supergraphPath,
        JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        // The query costs 24,420 by our default estimate (no list sizes in these subgraphs), above
        // the default MAX_COST of 20,000: a deployment serving it raises the limit, and so do we.
        MAX_COST: '100000',
        ...extraEnv,
      },
    });

const stringArg = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
};
/** `--before <dist/main.js>`: another build of ours (e.g. main's) measured in the same rounds. */
const before = stringArg('before');

const contenders: Contender[] = [
  {
    name: 'vanilla',
    start: () =>
      spawn(
        process.execPath,
        [join(import.meta.dirname, 'vanilla-gateway.mjs'), supergraphPath, String(GATEWAY_PORT)],
        { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } },
      ),
  },
  { name: 'ours', start: ourGateway(builtGateway) },
  // The same build without in-flight deduplication: what the rest of the request path gives.
  ...(process.argv.includes('--no-dedup-too')
    ? [{ name: 'ours, dedup off', start: ourGateway(builtGateway, { SUBGRAPH_DEDUP: 'off' }) }]
    : []),
  ...(before ? [{ name: 'before', start: ourGateway(before) }] : []),
];

const rssMiB = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
};

const subgraphCounts = async () => {
  const response = await fetch(`http://127.0.0.1:${SUBGRAPH_PORT}/counts`);
  const counts = (await response.json()) as Record<string, number>;
  return Object.values(counts).reduce((a, b) => a + b, 0);
};

async function query() {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  return { status: response.status, text };
}

async function waitUntilServing(child: ChildProcess) {
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}`);
    const answer = await query().catch(() => null); // null: not listening yet
    if (answer?.status === 200) return;
    if (answer) throw new Error(`the gateway refused the query: ${answer.text}`);
    await sleep(100);
  }
  throw new Error('gateway did not start within 120 s');
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

/**
 * `amount` queries with `connections` in flight (a count, so every query counted has finished and
 * the subgraph requests per query are exact), cut off after --max-seconds. Each answer's latency
 * (ms) is kept for exact percentiles.
 */
async function run(amount: number) {
  const latencies: number[] = [];
  let finished!: (result: autocannon.Result) => void;
  let failed!: (error: unknown) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finished = resolve;
    failed = reject;
  });
  const instance = autocannon(
    {
      url: gatewayUrl,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      connections,
      amount,
      // A shared, busy machine answers slowly; a slow answer is a measurement, not an error.
      timeout: 120,
    },
    (error, result) => (error ? failed(error) : finished(result)),
  );
  const errors = new Map<string, number>();
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    latencies.push(responseTime);
  });
  instance.on('reqError', (error: Error) => {
    errors.set(error.message, (errors.get(error.message) ?? 0) + 1);
  });
  const guard = setTimeout(() => instance.stop(), maxSeconds * 1000);
  const result = await done;
  clearTimeout(guard);
  return { result, latencies, errors };
}

interface Round {
  rps: number;
  p95: number;
  p99: number;
  peakRss: number;
  idleRss: number;
  subgraphRequestsPerQuery: number;
  bytes: number;
}

const results: Record<string, Round[]> = Object.fromEntries(contenders.map((c) => [c.name, []]));
const answers: Record<string, string> = {};

async function round(contender: Contender): Promise<Round> {
  const child = contender.start();
  try {
    await waitUntilServing(child);
    const { text } = await query();
    const parsed = JSON.parse(text) as { data?: unknown; errors?: unknown };
    if (parsed.errors || !parsed.data) throw new Error(`${contender.name} answered ${text}`);
    answers[contender.name] = JSON.stringify(parsed.data);
    await run(warmupRequests);
    await sleep(1000);
    const idleRss = rssMiB(child.pid!);
    let peakRss = idleRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, rssMiB(child.pid!));
    }, 100);
    const before = await subgraphCounts();
    const { result, latencies, errors } = await run(requests);
    clearInterval(sampler);
    const subgraphRequests = (await subgraphCounts()) - before;
    if (result.non2xx > 0 || result.errors > 0 || latencies.length < requests) {
      throw new Error(
        `${contender.name}: ${result.non2xx} non-2xx, ${result.errors} errors (${JSON.stringify([...errors])}), ${latencies.length} of ${requests} answers`,
      );
    }
    return {
      rps: latencies.length / result.duration,
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      peakRss,
      idleRss,
      subgraphRequestsPerQuery: subgraphRequests / latencies.length,
      bytes: Buffer.byteLength(text),
    };
  } finally {
    await stop(child);
  }
}

const subgraphs = fork(join(import.meta.dirname, 'subgraphs.ts'), [String(SUBGRAPH_PORT)], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
await new Promise<void>((resolve) => subgraphs.once('message', () => resolve()));
try {
  for (let i = 0; i < rounds; i++) {
    for (const contender of contenders) {
      const r = await round(contender);
      results[contender.name].push(r);
      console.log(
        `round ${i + 1} ${contender.name.padEnd(16)} ${r.rps.toFixed(0).padStart(5)} req/s  p95 ${r.p95.toFixed(0)} ms  p99 ${r.p99.toFixed(0)} ms  RSS peak ${r.peakRss.toFixed(0)} MiB idle ${r.idleRss.toFixed(0)} MiB  ${r.subgraphRequestsPerQuery.toFixed(2)} subgraph requests/query  ${(r.bytes / 1024).toFixed(1)} KiB`,
      );
    }
    for (const [name, answer] of Object.entries(answers)) {
      if (answer !== answers.vanilla) throw new Error(`${name} answered differently from vanilla`);
    }
  }
} finally {
  subgraphs.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
}

const metrics = ['rps', 'p95', 'p99', 'peakRss', 'idleRss', 'subgraphRequestsPerQuery'] as const;
const med = (name: string, metric: (typeof metrics)[number]) =>
  median(results[name]!.map((r) => r[metric]));
console.log(
  `\nnode ${process.version}, medians of ${rounds} rounds each, ${connections} connections, ${requests} queries per round (answers identical); ratio = x / vanilla:`,
);
const others = contenders.filter((c) => c.name !== 'vanilla').map((c) => c.name);
console.log(
  'metric'.padEnd(26) +
    'vanilla'.padStart(10) +
    others.map((name) => name.padStart(18) + 'ratio'.padStart(8)).join(''),
);
for (const metric of metrics) {
  const digits = metric === 'subgraphRequestsPerQuery' ? 2 : 0;
  const vanilla = med('vanilla', metric);
  console.log(
    metric.padEnd(26) +
      vanilla.toFixed(digits).padStart(10) +
      others
        .map((name) => {
          const value = med(name, metric);
          return (
            value.toFixed(digits).padStart(18) +
            (vanilla === 0 ? '-' : `${(value / vanilla).toFixed(2)}x`).padStart(8)
          );
        })
        .join(''),
  );
}
