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
import {
  createTestDatabase,
  graphql,
  SUBGRAPH_NAMES,
  TEST_ENV,
  type TestDatabase,
} from '@sky/testkit';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  builtIn,
  startBuilt,
  startBuiltPlatform,
  type BuiltPlatform,
  type BuiltService,
} from './built-services.ts';
import { signIn } from './helpers.ts';

const root = join(import.meta.dirname, '..');

describe("built services (server mode, the image's files only)", () => {
  const runtimeDir = mkdtempSync(join(tmpdir(), 'sky-runtime-'));
  const built = builtIn(runtimeDir);
  let platform: BuiltPlatform | null = null;
  const databases: TestDatabase[] = [];

  beforeAll(async () => {
    await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(root, 'scripts', 'collect-runtime.ts'), '--out', runtimeDir],
      { cwd: root },
    );
    platform = await startBuiltPlatform({ base: runtimeDir });
  });

  afterAll(async () => {
    await platform?.stop();
    await Promise.all(databases.map((database) => database.drop()));
    rmSync(runtimeDir, { recursive: true, force: true });
  });

  it('every built subgraph is ready (its database migrated and reachable)', async () => {
    const { subgraphUrls, gatewayUrl } = platform!;
    for (const name of SUBGRAPH_NAMES) {
      const response = await fetch(new URL('/health/ready', subgraphUrls[name]));
      expect(response.status, name).toBe(200);
    }
    const gateway = await fetch(new URL('/health', gatewayUrl));
    expect(gateway.status).toBe(200);
  });

  it("the image's health check passes for every service it runs, and fails where none listens", async () => {
    const { subgraphUrls, gatewayUrl, paymentSandboxUrl } = platform!;
    const healthcheck = join(runtimeDir, 'deploy', 'healthcheck.mjs');
    const check = (env: Record<string, string>) =>
      promisify(execFile)(process.execPath, [healthcheck], { env: { PATH: '', ...env } }).then(
        () => 0,
        (error: { code?: number }) => error.code ?? -1,
      );
    const portOf = (url: string) => new URL(url).port;
    for (const name of SUBGRAPH_NAMES) {
      expect(await check({ PORT: portOf(subgraphUrls[name]) }), name).toBe(0);
    }
    expect(await check({ PORT: portOf(gatewayUrl) }), 'gateway').toBe(0);
    expect(await check({ SANDBOX_PORT: portOf(paymentSandboxUrl) }), 'payment sandbox').toBe(0);
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
    const { gatewayUrl } = platform!;
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
  });
});
