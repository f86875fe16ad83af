import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * compose's database setup (deploy/postgres-init.sql) run for real: a private PostgreSQL
 * cluster with password authentication (as in the container), initialised by the same script
 * with the same environment variables. The machine's shared PostgreSQL is never touched.
 */
const run = promisify(execFile);
/** Debian's server binaries (the same installation CI starts), newest major version. */
const bin = `/usr/lib/postgresql/${readdirSync('/usr/lib/postgresql').sort().at(-1)}/bin`;
const initScript = join(import.meta.dirname, '..', 'deploy', 'postgres-init.sql');
const passwords: Record<string, string> = {
  POSTGRES: 'admin-secret',
  USER: 'user-secret',
  CATALOG: 'catalog-secret',
  ORDER: 'order-secret',
  PAYMENT: 'payment-secret',
  DELIVERY: 'delivery-secret',
};
const subgraphs = ['user', 'catalog', 'order', 'payment', 'delivery'] as const;

let dataDir: string;
let port: number;

/** initdb and pg_ctl refuse to run as root: run them as the postgres account there. */
const asPostgres = (command: string, args: string[]) =>
  process.getuid?.() === 0
    ? run('runuser', ['-u', 'postgres', '--', command, ...args])
    : run(command, args);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: found } = server.address() as { port: number };
      server.close(() => resolve(found));
    });
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sky-compose-pg-'));
  const passwordFile = join(dataDir, 'admin-password');
  writeFileSync(passwordFile, passwords.POSTGRES!);
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: group } = await run('id', ['-g', 'postgres']);
    chownSync(dataDir, Number(stdout.trim()), Number(group.trim()));
    chownSync(passwordFile, Number(stdout.trim()), Number(group.trim()));
  }
  port = await freePort();
  const cluster = join(dataDir, 'cluster');
  await asPostgres(`${bin}/initdb`, [
    '-D',
    cluster,
    '-U',
    'postgres',
    '--auth=scram-sha-256',
    `--pwfile=${passwordFile}`,
  ]);
  await asPostgres(`${bin}/pg_ctl`, [
    '-D',
    cluster,
    '-w',
    // A log file, so that the server does not keep this process's output pipe open.
    '-l',
    join(dataDir, 'postgres.log'),
    '-o',
    `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1`,
    'start',
  ]);
  await run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-f', initScript], {
    env: {
      ...process.env,
      PGPASSWORD: passwords.POSTGRES,
      ...Object.fromEntries(
        subgraphs.map((name) => [
          `${name.toUpperCase()}_DB_PASSWORD`,
          passwords[name.toUpperCase()],
        ]),
      ),
    },
  });
}, 120_000);

afterAll(async () => {
  if (!dataDir) return;
  await asPostgres(`${bin}/pg_ctl`, [
    '-D',
    join(dataDir, 'cluster'),
    '-m',
    'immediate',
    'stop',
  ]).catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
});

async function connectAs(role: string, password: string, database: string): Promise<string> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: role, password, database });
  try {
    await client.connect();
    const { rows } = await client.query<{ superuser: boolean }>(
      'SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user',
    );
    return rows[0]!.superuser ? 'superuser' : 'connected';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

describe('compose: one PostgreSQL role per subgraph (deploy/postgres-init.sql)', () => {
  it.each(subgraphs)('sky_%s connects to its own database, as no superuser', async (name) => {
    expect(await connectAs(`sky_${name}`, passwords[name.toUpperCase()]!, `sky_${name}`)).toBe(
      'connected',
    );
  });

  it.each(subgraphs)("sky_%s's credentials open no other database", async (name) => {
    const others = [
      ...subgraphs.filter((other) => other !== name).map((o) => `sky_${o}`),
      'postgres',
    ];
    for (const database of others) {
      // 42501: no CONNECT privilege.
      expect([
        database,
        await connectAs(`sky_${name}`, passwords[name.toUpperCase()]!, database),
      ]).toEqual([database, '42501']);
    }
  });

  it("refuses a subgraph's role with another subgraph's password", async () => {
    // 28P01: invalid_password.
    expect(await connectAs('sky_user', passwords.ORDER!, 'sky_user')).toBe('28P01');
  });

  it('fails the initialisation when a password is not configured', async () => {
    await expect(
      run(
        'psql',
        [
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '-U',
          'postgres',
          '-d',
          'postgres',
          '-f',
          initScript,
        ],
        {
          env: { ...process.env, PGPASSWORD: passwords.POSTGRES },
        },
      ),
    ).rejects.toThrow();
  });
});
