/**
 * Gateway start-up figures: the built gateway (`node gateway/dist/main.js`, what server mode
 * and the image run) against the same source run through tsx, alternating A B A B in one run so
 * both see the same machine load. For each start: the time from spawning the process to the
 * first answer to `{ __typename }` (the gateway answers it alone, so no subgraph needs to run),
 * and the resident memory of the process tree at that moment (tsx starts a second process).
 *   npm run build && npm run bench:startup [-- --rounds 7] [-- --variant 'name=command …']
 * Extra `--variant` commands run from the repository root with the same environment.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { answers, treeRss } from './measure.ts';

const root = join(import.meta.dirname, '..');
const builtGateway = join(root, 'gateway', 'dist', 'main.js');

interface Variant {
  name: string;
  command: string[];
}

function parseArguments(argv: string[]) {
  let rounds = 5;
  const variants: Variant[] = [
    { name: 'built (node dist/main.js)', command: ['node', builtGateway] },
    { name: 'tsx (tsx src/main.ts)', command: ['tsx', join(root, 'gateway', 'src', 'main.ts')] },
  ];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rounds') rounds = Number(argv[++i]);
    else if (argv[i] === '--variant') {
      const [name, command] = (argv[++i] ?? '').split(/=(.*)/s);
      if (!name || !command) throw new Error("--variant wants 'name=command'");
      variants.push({ name, command: command.trim().split(/\s+/) });
    } else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds wants a positive integer');
  return { rounds, variants };
}

/** A port nobody listens on right now (the gateway binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwtPublicKey = publicKey.export({ type: 'spki', format: 'pem' }).toString();

async function startOnce(variant: Variant): Promise<{ ms: number; rss: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(variant.command[0]!, variant.command.slice(1), {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      JWT_PUBLIC_KEY: jwtPublicKey,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${variant.name} exited with ${code}`))),
  );
  try {
    const url = `http://127.0.0.1:${port}/graphql`;
    const deadline = started + 30_000;
    for (;;) {
      if (await Promise.race([answers(url), exited])) break;
      if (performance.now() > deadline) throw new Error(`${variant.name}: no answer in 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const ms = performance.now() - started;
    return { ms, rss: treeRss(child.pid!) };
  } finally {
    child.removeAllListeners('exit');
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await gone;
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const { rounds, variants } = parseArguments(process.argv.slice(2));
if (!existsSync(builtGateway)) {
  console.error(`${builtGateway} is missing: run \`npm run build\` first.`);
  process.exit(2);
}
console.log(`Node ${process.version}, ${rounds} rounds, variants alternating in each round`);
const samples = new Map(
  variants.map((variant) => [variant.name, [] as { ms: number; rss: number }[]]),
);
for (let round = 1; round <= rounds; round++) {
  for (const variant of variants) {
    const sample = await startOnce(variant);
    samples.get(variant.name)!.push(sample);
    console.log(
      `  round ${round} ${variant.name}: ${sample.ms.toFixed(0)} ms, ${(sample.rss / 2 ** 20).toFixed(0)} MiB`,
    );
  }
}
console.log('\nmedians (cold start to first answer, RSS of the process tree at that moment):');
for (const [name, runs] of samples) {
  const ms = median(runs.map((run) => run.ms));
  const rss = median(runs.map((run) => run.rss)) / 2 ** 20;
  console.log(
    `  ${name.padEnd(32)} ${ms.toFixed(0).padStart(6)} ms ${rss.toFixed(0).padStart(6)} MiB`,
  );
}
