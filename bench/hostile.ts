/**
 * Each hostile-traffic attack while a steady trickle of normal requests runs, beside a baseline
 * without attack in the same run: the platform's event-loop delay (p99) and the normal requests'
 * latency (p99), and how fast each attack is answered.
 *   npm run bench:hostile [-- --seconds 8]
 * The whole supergraph (gateway and five subgraphs, server mode: PostgreSQL and Redis) runs in
 * this one process, so one blocked event loop would show everywhere, as in embedded mode; the
 * attacker runs in a child process. Everything shares this machine's cores: compare the rows of
 * one run with each other, not with another machine.
 */
import { findDemoUser, orders } from '@sky/demo-data';
import { prepareTemplateDatabases, TEST_ENV } from '@sky/testkit';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { startTestSupergraph } from '../tests/supergraph.ts';

const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const PHASE_MS = arg('seconds', 8) * 1000;
const TRICKLE_INTERVAL_MS = 25;
const PHASES = [
  'baseline',
  'redos-email',
  'ws-20mb-frame',
  'cost-bomb-variables',
  'subscribe-burst-1000',
  'login-flood',
];

const percentile = (values: number[], p: number) =>
  values.length === 0
    ? NaN
    : [...values].sort((a, b) => a - b)[
        Math.min(values.length - 1, Math.floor((p / 100) * values.length))
      ]!;

const dropTemplates = await prepareTemplateDatabases();
const supergraph = await startTestSupergraph({
  env: {
    ...TEST_ENV,
    // The production cost of a password hash: what a sign-in flood would make the platform pay.
    ARGON2_MEMORY_KIB: '19456',
    ARGON2_TIME_COST: '2',
    LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE: '30',
    REGISTRATIONS_PER_ADDRESS_PER_HOUR: '20',
    TRUST_PROXY: 'loopback',
    PAYMENT_TIMEOUT_SECONDS: '86400',
    LOG_LEVEL: 'silent',
  },
});
const alice = findDemoUser('alice');
const aliceOrder = orders.find((o) => o.customerId === alice.id && o.status === 'CONFIRMED')!;
const attacker = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    join(import.meta.dirname, 'hostile-attacker.ts'),
    supergraph.gatewayUrl,
    supergraph.tokenFor({ userId: alice.id, roles: ['CUSTOMER'] }),
    aliceOrder.id,
  ],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
const reports = createInterface({ input: attacker.stdout! });
const nextReport = () =>
  new Promise<{
    answeredMs: number[];
    codes: Record<string, number>;
    refusalsAnsweredMs: number[];
  }>((resolve) => reports.once('line', (line) => resolve(JSON.parse(line))));

const NORMAL = '{ merchants(first: 5) { edges { node { name isOpenNow } } } }';
async function normalRequest(): Promise<number> {
  const started = performance.now();
  const response = await fetch(supergraph.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: NORMAL }),
  });
  await response.json();
  return performance.now() - started;
}

// Warm-up: connections, query plans, caches.
for (let i = 0; i < 50; i++) await normalRequest();

interface Row {
  phase: string;
  attacks: string;
  answeredP50: number;
  answeredP99: number;
  normalP99: number;
  loopP99: number;
}
const rows: Row[] = [];
for (const phase of PHASES) {
  const latencies: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let trickling = true;
  const trickle = (async () => {
    while (trickling) {
      const next = performance.now() + TRICKLE_INTERVAL_MS;
      latencies.push(await normalRequest());
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
    }
  })();
  let report = {
    answeredMs: [] as number[],
    codes: {} as Record<string, number>,
    refusalsAnsweredMs: [] as number[],
  };
  if (phase === 'baseline') {
    await new Promise((resolve) => setTimeout(resolve, PHASE_MS));
  } else {
    attacker.stdin!.write(`${JSON.stringify({ attack: phase, durationMs: PHASE_MS })}\n`);
    report = await nextReport();
  }
  trickling = false;
  await trickle;
  loop.disable();
  rows.push({
    phase,
    attacks:
      phase === 'baseline'
        ? '—'
        : Object.entries(report.codes)
            .map(([code, count]) => `${count}× ${code}`)
            .join(', ') +
          (report.refusalsAnsweredMs.length > 0
            ? ` (last refusal of a burst: p50 ${percentile(report.refusalsAnsweredMs, 50).toFixed(1)} ms, max ${Math.max(...report.refusalsAnsweredMs).toFixed(1)} ms)`
            : ''),
    answeredP50: percentile(report.answeredMs, 50),
    answeredP99: percentile(report.answeredMs, 99),
    normalP99: percentile(latencies, 99),
    loopP99: loop.percentile(99) / 1e6,
  });
}

const baseline = rows[0]!;
const ms = (value: number) => (Number.isNaN(value) ? '—' : `${value.toFixed(1)} ms`);
console.log(
  `\nnormal request: ${NORMAL} every ${TRICKLE_INTERVAL_MS} ms; ${PHASE_MS / 1000} s per phase\n`,
);
console.log(
  '| phase | attacks sent (answer) | attack answered p50 / p99 | normal p99 (× baseline) | event-loop delay p99 |',
);
console.log('| --- | --- | --- | --- | --- |');
for (const row of rows) {
  console.log(
    `| ${row.phase} | ${row.attacks} | ${ms(row.answeredP50)} / ${ms(row.answeredP99)} | ${ms(
      row.normalP99,
    )} (${(row.normalP99 / baseline.normalP99).toFixed(2)}×) | ${ms(row.loopP99)} |`,
  );
}

attacker.kill();
await supergraph.stop();
await dropTemplates();
process.exit(0);
