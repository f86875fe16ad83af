/**
 * What server mode and the image run is the build output, not the TypeScript sources. The
 * bundles (`<workspace>/dist/main.js`, from `npm run build`, which `npm test` runs before
 * Vitest) are gathered with exactly the files the image's runtime stage gets
 * (`scripts/collect-runtime.ts`) into a folder outside the repository, so nothing can fall back
 * to the repository's node_modules. From there every built service starts with plain `node` (no
 * tsx, no loader), each subgraph against its own fresh PostgreSQL database, and the built gateway
 * answers operations that cross subgraphs. The built embedded launcher (the README's
 * `npm start`) starts too, from the repository, with PGlite and the demo data.
 */
import { generateKeyPair } from '@sky/auth';
import {
  createTestDatabase,
  graphql,
  SUBGRAPH_NAMES,
  TEST_ENV,
  testSettings,
  type TestDatabase,
} from '@sky/testkit';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './helpers.ts';

const root = join(import.meta.dirname, '..');
const builtIn = (base: string) => ({
  gateway: join(base, 'gateway', 'dist', 'main.js'),
  paymentSandbox: join(base, 'packages', 'payment-sandbox', 'dist', 'main.js'),
  embedded: join(base, 'packages', 'embedded', 'dist', 'main.js'),
  subgraph: (name: string) => join(base, 'subgraphs', name, 'dist', 'main.js'),
});

interface BuiltService {
  url: string;
  output: string[];
  stop(): Promise<void>;
}

/**
 * Runs a built file with the Node running the tests (the project's Node 24, checked by the
 * Vitest config) and resolves once a line of its output passes `ready`, with what it returned.
 */
function startBuilt(
  file: string,
  env: Record<string, string>,
  ready: (line: string) => string | undefined,
): Promise<BuiltService> {
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  const child: ChildProcess = spawn(process.execPath, [file], {
    cwd: dirname(file),
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${file} did not become ready:\n${output.join('\n')}`));
    }, 90_000);
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
          resolve({ url, output, stop });
        }
      });
    }
  });
}

/** The `url` of a service's "<name> listening" log line (JSON, one object per line). */
const listeningUrl = (line: string): string | undefined => {
  try {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    return entry.msg?.endsWith(' listening') ? entry.url : undefined;
  } catch {
    return undefined;
  }
};

describe("built services (server mode, the image's files only)", () => {
  const runtimeDir = mkdtempSync(join(tmpdir(), 'sky-runtime-'));
  const built = builtIn(runtimeDir);
  const databases: TestDatabase[] = [];
  const services: BuiltService[] = [];
  let gatewayUrl = '';
  let sandboxUrl = '';
  const subgraphUrls: Record<string, string> = {};

  beforeAll(async () => {
    await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(root, 'scripts', 'collect-runtime.ts'), '--out', runtimeDir],
      { cwd: root },
    );
    const keys = generateKeyPair();
    const shared: Record<string, string> = {
      ...(TEST_ENV as Record<string, string>),
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      JWT_PUBLIC_KEY: keys.publicKeyPem,
      EVENT_NAMESPACE: `built-${randomBytes(4).toString('hex')}`,
      PAYMENT_WEBHOOK_SECRET: randomBytes(32).toString('hex'),
    };
    const sandbox = await startBuilt(
      built.paymentSandbox,
      { ...shared, SANDBOX_PORT: '0' },
      listeningUrl,
    );
    services.push(sandbox);
    sandboxUrl = sandbox.url;
    // Subgraphs start in dependency order on random ports; each learns the URLs of those
    // already running, as the embedded launcher does.
    const urlSettings: Record<string, string> = {};
    for (const name of SUBGRAPH_NAMES) {
      const database = await createTestDatabase(name);
      databases.push(database);
      const service = await startBuilt(
        built.subgraph(name),
        {
          ...shared,
          ...urlSettings,
          SKY_MODE: 'server',
          PORT: '0',
          DATABASE_URL: database.url,
          REDIS_URL: testSettings.TEST_REDIS_URL,
          PAYMENT_PROVIDER_URL: sandbox.url,
          ...(name === 'user' ? { JWT_PRIVATE_KEY: keys.privateKeyPem } : {}),
        },
        listeningUrl,
      );
      services.push(service);
      subgraphUrls[name] = service.url;
      urlSettings[`SUBGRAPH_${name.toUpperCase()}_URL`] = service.url;
    }
    const gateway = await startBuilt(
      built.gateway,
      { ...shared, ...urlSettings, PORT: '0' },
      listeningUrl,
    );
    services.push(gateway);
    gatewayUrl = gateway.url;
  });

  afterAll(async () => {
    for (const service of services.reverse()) await service.stop();
    for (const database of databases) await database.drop();
    rmSync(runtimeDir, { recursive: true, force: true });
  });

  it('every built subgraph is ready (its database migrated and reachable)', async () => {
    for (const name of SUBGRAPH_NAMES) {
      const response = await fetch(new URL('/health/ready', subgraphUrls[name]));
      expect(response.status, name).toBe(200);
    }
    const gateway = await fetch(new URL('/health', gatewayUrl));
    expect(gateway.status).toBe(200);
  });

  it("the image's health check passes for every service it runs, and fails where none listens", async () => {
    const healthcheck = join(runtimeDir, 'deploy', 'healthcheck.mjs');
    const check = (env: Record<string, string>) =>
      promisify(execFile)(process.execPath, [healthcheck], { env: { PATH: '', ...env } }).then(
        () => 0,
        (error: { code?: number }) => error.code ?? -1,
      );
    const portOf = (url: string) => new URL(url).port;
    for (const name of SUBGRAPH_NAMES) {
      expect(await check({ PORT: portOf(subgraphUrls[name]!) }), name).toBe(0);
    }
    expect(await check({ PORT: portOf(gatewayUrl) }), 'gateway').toBe(0);
    expect(await check({ SANDBOX_PORT: portOf(sandboxUrl) }), 'payment sandbox').toBe(0);
    // A port that was free a moment ago: nothing answers there.
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const closed = String((probe.address() as AddressInfo).port);
    await new Promise((resolve) => probe.close(resolve));
    expect(await check({ PORT: closed }), 'nothing listening').toBe(1);
  });

  it('`main.js migrate` migrates a fresh database and exits, and finds nothing to do after', async () => {
    const database = await createTestDatabase('empty');
    databases.push(database);
    const migrate = () =>
      promisify(execFile)(process.execPath, [built.subgraph('order'), 'migrate'], {
        cwd: dirname(built.subgraph('order')),
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, LOG_LEVEL: 'info' },
      });
    const first = await migrate();
    expect(first.stdout).toContain('applied migrations');
    expect(first.stdout).toContain('database schema is up to date');
    const again = await migrate();
    expect(again.stdout).not.toContain('applied migrations');
    expect(again.stdout).toContain('database schema is up to date');
  });

  it('the built gateway answers an operation that crosses subgraphs', async () => {
    const email = `built-${randomUUID()}@example.com`;
    const registered = await graphql<{ register: { accessToken: string } }>(
      gatewayUrl,
      `
        mutation Register($input: RegisterInput!) {
          register(input: $input) {
            accessToken
          }
        }
      `,
      { variables: { input: { email, password: 'built-services-1', name: 'Built' } } },
    );
    expect(registered.errors).toBeUndefined();
    const token = registered.data!.register.accessToken;
    // `me` comes from the user subgraph, `orders` from the order subgraph (User.orders).
    const me = await graphql<{ me: { email: string; orders: { edges: unknown[] } } }>(
      gatewayUrl,
      `
        {
          me {
            email
            orders(first: 5) {
              edges {
                cursor
              }
            }
          }
        }
      `,
      { token },
    );
    expect(me.errors).toBeUndefined();
    expect(me.data!.me).toEqual({ email, orders: { edges: [] } });
  });
});

describe('built embedded launcher', () => {
  let launcher: BuiltService | null = null;
  afterAll(async () => {
    await launcher?.stop();
  });

  // The timeout outlasts startBuilt's own 90 s readiness deadline, which stops the launcher: the
  // test's timeout firing first would leave the launcher running (seen on a loaded machine).
  it('starts every service in one process with PGlite and serves the demo data', async () => {
    launcher = await startBuilt(
      builtIn(root).embedded,
      // An empty data directory keeps every PGlite database and the key pair in memory.
      { ...(TEST_ENV as Record<string, string>), SKY_DATA_DIR: '', PORT: '0' },
      (line) => /GraphQL endpoint: (\S+)/.exec(line)?.[1],
    );
    // The demo customer's sign-in proves the seed ran (argon2 included) in the bundle.
    expect(await signIn(launcher.url, 'alice')).toMatch(/^ey/);
    const merchants = await graphql<{ merchants: { edges: { node: { name: string } }[] } }>(
      launcher.url,
      `
        {
          merchants(first: 10) {
            edges {
              node {
                name
                dishes(first: 1) {
                  edges {
                    node {
                      name
                    }
                  }
                }
              }
            }
          }
        }
      `,
    );
    expect(merchants.errors).toBeUndefined();
    expect(merchants.data!.merchants.edges.length).toBeGreaterThan(0);
  }, 150_000);
});
