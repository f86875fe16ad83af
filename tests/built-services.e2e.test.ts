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
import { graphql, SUBGRAPH_NAMES, TEST_ENV } from '@sky/testkit';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  let platform: BuiltPlatform | null = null;

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
