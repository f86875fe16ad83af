import { generateKeyPair } from '@sky/auth';
import {
  createTestDatabase,
  freePort,
  prepareTemplateVariant,
  SUBGRAPH_NAMES,
  TEST_ENV,
  testSettings,
  type SubgraphName,
  type TestDatabase,
} from '@sky/testkit';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * Starts the build output (`<workspace>/dist/main.js`, from `npm run build`) with plain `node`,
 * one process per service: what server mode and the image run. Used by the built-services test
 * and the failure drills (tests/drills/).
 */

/** Where the bundles are below `base` (the repository, or a runtime folder collected from it). */
export const builtIn = (base: string) => ({
  gateway: join(base, 'gateway', 'dist', 'main.js'),
  paymentSandbox: join(base, 'packages', 'payment-sandbox', 'dist', 'main.js'),
  embedded: join(base, 'packages', 'embedded', 'dist', 'main.js'),
  subgraph: (name: string) => join(base, 'subgraphs', name, 'dist', 'main.js'),
});

export interface BuiltService {
  url: string;
  /** Every line the process wrote (stdout and stderr), in order: JSON log lines in server mode. */
  output: string[];
  /** SIGTERM (a graceful stop), then waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL (a crash: nothing is drained or closed), then waits for the exit. */
  kill(): Promise<void>;
}

/**
 * Runs a built file with the Node running the tests (the project's Node 24, checked by the
 * Vitest config) and resolves once a line of its output passes `ready`, with what it returned.
 */
export function startBuilt(
  file: string,
  env: Record<string, string>,
  ready: (line: string) => string | undefined,
  /** Where its lines go (a restarted service appends to the lines of its earlier runs). */
  output: string[] = [],
): Promise<BuiltService> {
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  const child: ChildProcess = spawn(process.execPath, [file], {
    cwd: dirname(file),
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A test worker that ends (a timed-out test, say) takes its services with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.off('exit', killOnExit);
      resolve();
    }),
  );
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  const stop = () => signal('SIGTERM');
  const kill = () => signal('SIGKILL');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${file} did not become ready:\n${output.join('\n')}`));
    }, 150_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code}:\n${output.join('\n')}`));
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        output.push(line);
        const url = ready(line);
        if (url) {
          clearTimeout(timer);
          resolve({ url, output, stop, kill });
        }
      });
    }
  });
}

/** The `url` of a service's "<name> listening" log line (JSON, one object per line). */
export const listeningUrl = (line: string): string | undefined => {
  try {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    return entry.msg?.endsWith(' listening') ? entry.url : undefined;
  } catch {
    return undefined;
  }
};

export type BuiltServiceName = 'paymentSandbox' | SubgraphName | 'gateway';

/** The payment sandbox, the five subgraphs and the gateway, each its own built process. */
export interface BuiltPlatform {
  gatewayUrl: string;
  paymentSandboxUrl: string;
  /** Each subgraph's `/graphql` URL (its health and internal endpoints live beside it). */
  subgraphUrls: Record<SubgraphName, string>;
  databases: Record<SubgraphName, TestDatabase>;
  /** Every line a service wrote, across its restarts (JSON log lines). */
  logs(name: BuiltServiceName): string[];
  /** SIGKILL: the service dies at once, in the middle of whatever it was doing. */
  kill(name: BuiltServiceName): Promise<void>;
  /** Starts a killed or stopped service again, on its old port with its old settings. */
  restart(name: BuiltServiceName): Promise<void>;
  /** Stops every service, then drops the databases. */
  stop(): Promise<void>;
}

/**
 * Starts the built services in server mode on random ports: each subgraph against a fresh
 * database of its own (copied from the migrated templates), all on `redisUrl`. With `seed` the
 * databases hold the demo dataset (server mode never seeds by itself), written once per test run
 * by the code the embedded launcher seeds with, so flows have merchants, dishes, staff, riders.
 */
export async function startBuiltPlatform(options: {
  /** Where the bundles are (the repository by default). */
  base?: string;
  /** Settings for every service (on top of the test settings). */
  env?: Record<string, string>;
  redisUrl?: string;
  seed?: boolean;
}): Promise<BuiltPlatform> {
  const built = builtIn(options.base ?? join(import.meta.dirname, '..'));
  const redisUrl = options.redisUrl ?? testSettings.TEST_REDIS_URL;
  const keys = generateKeyPair();
  const shared: Record<string, string> = {
    ...(TEST_ENV as Record<string, string>),
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    JWT_PUBLIC_KEY: keys.publicKeyPem,
    EVENT_NAMESPACE: `built-${randomBytes(4).toString('hex')}`,
    PAYMENT_WEBHOOK_SECRET: randomBytes(32).toString('hex'),
    ...options.env,
  };
  const databases = {} as Record<SubgraphName, TestDatabase>;
  const running = new Map<BuiltServiceName, BuiltService>();
  const settings = new Map<BuiltServiceName, { file: string; env: Record<string, string> }>();
  const logs = new Map<BuiltServiceName, string[]>();
  const launch = async (name: BuiltServiceName) => {
    const { file, env } = settings.get(name)!;
    // One list per service across restarts: a drill reads what happened before the kill too.
    if (!logs.has(name)) logs.set(name, []);
    const service = await startBuilt(file, env, listeningUrl, logs.get(name));
    running.set(name, service);
    return service;
  };
  const stop = async () => {
    await Promise.all([...running.values()].map((service) => service.stop()));
    running.clear();
    for (const database of Object.values(databases)) await database.drop();
  };
  try {
    if (options.seed) await prepareTemplateVariant('demo', seedDemoData);
    for (const name of SUBGRAPH_NAMES) {
      databases[name] = await createTestDatabase(name, options.seed ? { variant: 'demo' } : {});
    }
    // Every port is picked first, so all services start at once, each knowing the others' URLs.
    const names: BuiltServiceName[] = ['paymentSandbox', ...SUBGRAPH_NAMES, 'gateway'];
    const ports = Object.fromEntries(
      await Promise.all(names.map(async (name) => [name, String(await freePort())] as const)),
    ) as Record<BuiltServiceName, string>;
    const paymentSandboxUrl = `http://127.0.0.1:${ports.paymentSandbox}`;
    const subgraphUrls = Object.fromEntries(
      SUBGRAPH_NAMES.map((name) => [name, `http://127.0.0.1:${ports[name]}/graphql`]),
    ) as Record<SubgraphName, string>;
    const urlSettings = Object.fromEntries(
      SUBGRAPH_NAMES.map((name) => [`SUBGRAPH_${name.toUpperCase()}_URL`, subgraphUrls[name]]),
    );
    settings.set('paymentSandbox', {
      file: built.paymentSandbox,
      env: { ...shared, SANDBOX_PORT: ports.paymentSandbox },
    });
    for (const name of SUBGRAPH_NAMES) {
      settings.set(name, {
        file: built.subgraph(name),
        env: {
          ...shared,
          ...urlSettings,
          SKY_MODE: 'server',
          PORT: ports[name],
          DATABASE_URL: databases[name].url,
          REDIS_URL: redisUrl,
          PAYMENT_PROVIDER_URL: paymentSandboxUrl,
          ...(name === 'user' ? { JWT_PRIVATE_KEY: keys.privateKeyPem } : {}),
        },
      });
    }
    settings.set('gateway', {
      file: built.gateway,
      env: { ...shared, ...urlSettings, PORT: ports.gateway },
    });
    const started = await Promise.allSettled(names.map((name) => launch(name)));
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return {
      gatewayUrl: running.get('gateway')!.url,
      paymentSandboxUrl,
      subgraphUrls,
      databases,
      logs: (name) => logs.get(name) ?? [],
      kill: async (name) => {
        await running.get(name)?.kill();
        running.delete(name);
      },
      restart: async (name) => {
        if (running.has(name)) throw new Error(`${name} is still running`);
        await launch(name);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The demo dataset, written by the subgraphs' own seeding code run in this process. */
async function seedDemoData(databases: Record<SubgraphName, TestDatabase>): Promise<void> {
  // Loaded only here: it brings every subgraph's code into the test process.
  const { startPlatform } = await import('@sky/embedded');
  const { createLogger } = await import('@sky/logging');
  const platform = await startPlatform({
    storage: {
      mode: 'server',
      databaseUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, databases[name].url])),
      // Seeding sends no events; the shared Redis only lets the services start.
      redisUrl: testSettings.TEST_REDIS_URL,
    },
    seed: true,
    gatewayPort: 0,
    host: '127.0.0.1',
    env: TEST_ENV,
    logger: createLogger('seed', 'silent'),
  });
  await platform.stop();
}
