/**
 * The README's "Server mode" steps, as a newcomer runs them, from a clean clone of the committed
 * HEAD (so a file the steps need but nobody committed fails here): `npm run keys`, `npm run build`,
 * `npm run server:setup`, `npm run seed` (twice: the second run changes nothing), `npm run server`,
 * then a query across all five subgraphs through the gateway as a seeded demo customer, and Ctrl-C
 * (SIGINT) stops every service.
 *
 * Two departures from a newcomer's machine, both to keep the suite fast and out of other tests'
 * way: the clone reuses this checkout's installed packages instead of running `npm ci` (its
 * node_modules holds links to ours, except the @sky workspaces, which point at the clone's own
 * sources), and the documented overrides give it random ports, its own database and role names
 * (DATABASE_PREFIX), the test PostgreSQL and Redis and its own event namespace.
 */
import { orders } from '@sky/demo-data';
import { graphql, testSettings } from '@sky/testkit';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './helpers.ts';
import { DEMO_COMPLETED_ORDER_ACROSS_ALL_SUBGRAPHS } from './flows.ts';
import { ORDER_ACROSS_ALL_SUBGRAPHS } from './operations.ts';

const root = join(import.meta.dirname, '..');
const clone = join(mkdtempSync(join(tmpdir(), 'sky-clone-')), 'sky-takeout');
const prefix = `sky_srvtest_${randomBytes(4).toString('hex')}`;
// Random, so concurrent runs rarely meet; the services take PORT..PORT+5 and PORT+10.
const port = randomInt(30_000, 60_000);
const overrides = {
  PORT: String(port),
  DATABASE_PREFIX: prefix,
  POSTGRES_URL: testSettings.TEST_POSTGRES_URL,
  REDIS_URL: testSettings.TEST_REDIS_URL,
  EVENT_NAMESPACE: prefix,
  LOG_LEVEL: 'warn',
};
const env = { ...process.env, ...overrides };

const npmRun = async (script: string) =>
  (await promisify(execFile)('npm', ['run', '--silent', script], { cwd: clone, env })).stdout;

/** The clone's node_modules: links to this checkout's packages, its own @sky workspaces. */
function linkInstalledPackages() {
  const modules = join(clone, 'node_modules');
  mkdirSync(join(modules, '@sky'), { recursive: true });
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry !== '@sky') symlinkSync(join(root, 'node_modules', entry), join(modules, entry));
  }
  // Workspace links are relative (../../packages/auth), so the same link resolves in the clone.
  for (const entry of readdirSync(join(root, 'node_modules', '@sky'))) {
    const target = readlinkSync(join(root, 'node_modules', '@sky', entry));
    symlinkSync(target, join(modules, '@sky', entry));
  }
  // Packages npm installed inside a workspace (a version other than the root's).
  for (const group of ['packages', 'subgraphs', 'clients']) {
    for (const workspace of readdirSync(join(root, group))) {
      const nested = join(root, group, workspace, 'node_modules');
      if (existsSync(nested) && existsSync(join(clone, group, workspace))) {
        symlinkSync(nested, join(clone, group, workspace, 'node_modules'));
      }
    }
  }
}

async function dropDatabasesAndRoles() {
  const admin = new pg.Client({ connectionString: testSettings.TEST_POSTGRES_URL });
  await admin.connect();
  try {
    for (const subgraph of ['user', 'catalog', 'order', 'payment', 'delivery']) {
      await admin.query(`DROP DATABASE IF EXISTS ${prefix}_${subgraph} WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS ${prefix}_${subgraph}`);
    }
  } finally {
    await admin.end();
  }
}

describe("server mode from a clean clone, as the README's steps say", () => {
  let server: ChildProcess | null = null;
  const output: string[] = [];
  let exited: Promise<number | string | null> = Promise.resolve(null);
  const gatewayUrl = `http://127.0.0.1:${port}/graphql`;

  beforeAll(async () => {
    await promisify(execFile)('git', ['clone', '--quiet', root, clone]);
    linkInstalledPackages();
  }, 120_000);

  afterAll(async () => {
    if (server && server.exitCode === null) server.kill('SIGTERM');
    await exited;
    await dropDatabasesAndRoles();
    rmSync(join(clone, '..'), { recursive: true, force: true });
  });

  it('keys, build, setup and seed (a second seed changes nothing)', async () => {
    await npmRun('keys');
    expect(existsSync(join(clone, '.env'))).toBe(true);
    await npmRun('build');
    expect(await npmRun('server:setup')).toMatch(new RegExp(`role ${prefix}_delivery`));
    expect(await npmRun('seed')).not.toMatch(/left alone/);
    const again = await npmRun('seed');
    expect(again.match(/already holds data, left alone/g)).toHaveLength(5);
  }, 600_000);

  it('npm run server starts every service and the gateway answers across all five', async () => {
    // Detached: its own process group, so SIGINT reaches it (and its children) as a Ctrl-C would.
    server = spawn('npm', ['run', '--silent', 'server'], { cwd: clone, env, detached: true });
    const current = server;
    exited = new Promise((resolve) =>
      current.once('exit', (code, signal) => resolve(code ?? signal)),
    );
    await new Promise<void>((resolve, reject) => {
      for (const stream of [current.stdout!, current.stderr!]) {
        stream.on('data', (chunk: Buffer) => {
          output.push(chunk.toString());
          if (output.join('').includes('server mode ready')) resolve();
        });
      }
      void exited.then((code) =>
        reject(new Error(`npm run server exited (${code}):\n${output.join('')}`)),
      );
    });
    expect(output.join('')).toContain(`GraphQL endpoint ${gatewayUrl}`);

    // The seeded demo customer signs in (user subgraph, argon2) and reads her delivered order:
    // customer (user), merchant and dishes (catalog), order, payment and rider (delivery).
    const token = await signIn(gatewayUrl, 'alice');
    const completed = orders.find((o) => o.status === 'COMPLETED')!;
    const response = await graphql(gatewayUrl, ORDER_ACROSS_ALL_SUBGRAPHS, {
      token,
      variables: { id: completed.id },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data).toMatchObject(DEMO_COMPLETED_ORDER_ACROSS_ALL_SUBGRAPHS);
  }, 300_000);

  it('Ctrl-C stops every service', async () => {
    process.kill(-server!.pid!, 'SIGINT');
    // npm itself dies of the SIGINT, as in a terminal; the launcher exits 0 once all are down.
    expect(await exited).toMatch(/^(0|SIGINT)$/);
    // Every service's port (gateway PORT, subgraphs PORT+1..5, sandbox PORT+10) closes.
    for (const servicePort of [0, 1, 2, 3, 4, 5, 10].map((offset) => port + offset)) {
      let open = true;
      for (let attempt = 0; attempt < 100 && open; attempt++) {
        open = await fetch(`http://127.0.0.1:${servicePort}/`).then(
          () => true,
          () => false,
        );
        if (open) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(open, `port ${servicePort} still answers`).toBe(false);
    }
    expect(output.join('')).not.toMatch(/exited \(\d+\); stopping the others/);
  }, 60_000);
});
