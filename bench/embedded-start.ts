/**
 * Embedded start as a developer sees it: `npm start` (generation and the embedded build when
 * their inputs changed, then the platform) from spawn to the first answer to `{ __typename }`,
 * and the resident memory of the whole process tree (npm included) and of the app process alone
 * at that moment.
 *   npm run bench:embedded-start [-- --rounds 3] [-- --variant 'name=shell command' ...]
 * Each round runs, for every variant in turn, a first start (empty data directory and an empty
 * database template cache, as on a fresh clone) and then a warm start (the data directory the
 * first start left). Variants alternate within a round so all see the same machine load; medians
 * at the end. A variant is a shell command run from the repository root with SKY_DATA_DIR,
 * SKY_TEMPLATE_DIR and PORT set (e.g. an older build, or settings switched off).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answers, treeRss } from './measure.ts';

const root = join(import.meta.dirname, '..');
let rounds = 3;
const variants: { name: string; command: string }[] = [
  { name: 'npm start', command: 'npm start --silent' },
];
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--rounds') rounds = Number(process.argv[++i]);
  else if (process.argv[i] === '--variant') {
    const [name, command] = (process.argv[++i] ?? '').split(/=(.*)/s);
    if (!name || !command) throw new Error("--variant wants 'name=command'");
    variants.push({ name, command });
  } else throw new Error(`unknown argument ${process.argv[i]}`);
}
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds wants a positive integer');

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A gateway port whose neighbours (the subgraphs take +1..+5, the payment sandbox +10) are free. */
async function freePortRange(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    const offsets = [0, 1, 2, 3, 4, 5, 10];
    if ((await Promise.all(offsets.map((o) => isFree(port + o)))).every(Boolean)) return port;
  }
}

/** RSS of the app process alone (the node process running the platform), without npm's. */
function appRss(pid: number): number {
  let best = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!/packages\/embedded\/dist[^/]*\/main\.js|start-embedded\.mjs/.test(cmdline)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (treeHas(pid, Number(entry))) best = Math.max(best, Number(fields[21]) * 4096);
    } catch {
      // gone
    }
  }
  return best;
}

function treeHas(ancestor: number, pid: number): boolean {
  for (let current = pid; current > 1;) {
    if (current === ancestor) return true;
    try {
      const stat = readFileSync(`/proc/${current}/stat`, 'utf8');
      current = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return false;
    }
  }
  return false;
}

interface Sample {
  ms: number;
  rss: number;
  app: number;
}

async function startOnce(command: string, env: Record<string, string>): Promise<Sample> {
  const port = await freePortRange();
  const started = performance.now();
  const child = spawn('sh', ['-c', command], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code}`))),
  );
  try {
    const url = `http://127.0.0.1:${port}/graphql`;
    const deadline = started + 600_000;
    for (;;) {
      if (await Promise.race([answers(url), exited])) break;
      if (performance.now() > deadline) throw new Error('no answer in 600 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const ms = performance.now() - started;
    return { ms, rss: treeRss(child.pid!), app: appRss(child.pid!) };
  } finally {
    child.removeAllListeners('exit');
    const gone = new Promise((resolve) => child.once('exit', resolve));
    // The whole group: npm, its shell and the app.
    try {
      process.kill(-child.pid!, 'SIGTERM');
      await gone;
    } catch {
      // Already gone.
    }
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
console.log(`${rounds} rounds of (first start, warm start) per variant, Node ${process.version}`);
const samples = new Map(
  variants.map((v) => [v.name, { first: [] as Sample[], warm: [] as Sample[] }]),
);
for (let round = 1; round <= rounds; round++) {
  for (const variant of variants) {
    const scratch = mkdtempSync(join(tmpdir(), 'sky-start-'));
    // A fresh template cache too, so the first start is a clone's very first start.
    const env = {
      SKY_DATA_DIR: join(scratch, 'data'),
      SKY_TEMPLATE_DIR: join(scratch, 'templates'),
    };
    try {
      for (const kind of ['first', 'warm'] as const) {
        const sample = await startOnce(variant.command, env);
        samples.get(variant.name)![kind].push(sample);
        console.log(
          `  round ${round} ${variant.name} ${kind}: ${sample.ms.toFixed(0)} ms, tree ${mib(sample.rss)} MiB, app ${mib(sample.app)} MiB`,
        );
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
}
console.log('\nmedians (spawn to first answer; RSS of the process tree / of the app process):');
for (const [name, kinds] of samples) {
  for (const [kind, runs] of Object.entries(kinds)) {
    console.log(
      `  ${name.padEnd(24)} ${kind.padEnd(6)} ${median(runs.map((r) => r.ms))
        .toFixed(0)
        .padStart(
          6,
        )} ms ${mib(median(runs.map((r) => r.rss))).padStart(5)} MiB ${mib(median(runs.map((r) => r.app))).padStart(5)} MiB`,
    );
  }
}
