import pg from 'pg';
import { randomBytes } from 'node:crypto';
import {
  closeDatabaseToOthers,
  ensureSubgraphRole,
  migrate,
  migrationsDirOf,
  openDatabase,
} from '@sky/database';
import { testSettings } from './settings.ts';

export const SUBGRAPH_NAMES = ['user', 'catalog', 'order', 'payment', 'delivery'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/**
 * Templates are per test run (globalSetup picks the run id and passes it to the workers through
 * the environment), so concurrent runs on one machine never drop each other's templates.
 */
const RUN_VARIABLE = 'SKY_TEST_RUN_ID';
const templateName = (subgraph: string) => {
  const run = process.env[RUN_VARIABLE];
  if (!run) throw new Error('test databases need the vitest globalSetup (packages/testkit)');
  return `sky_template_${run}_${subgraph}`;
};

/** The administrator's URL of `database`, or the subgraph role's when `role` is given. */
export function databaseUrl(database: string, role?: string): string {
  const url = new URL(testSettings.TEST_POSTGRES_URL);
  url.pathname = `/${database}`;
  if (role) {
    url.username = role;
    url.password = testSettings.TEST_DATABASE_PASSWORD;
  }
  return url.toString();
}

/** The role that owns a subgraph's test databases. */
export const databaseRoleOf = (subgraph: SubgraphName): string =>
  `${testSettings.TEST_DATABASE_ROLE_PREFIX}_${subgraph}`;

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testSettings.TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Run once per test run (vitest globalSetup): one migrated template database per subgraph, so
 * each test file gets fresh databases with a cheap `CREATE DATABASE ... TEMPLATE`.
 */
export async function prepareTemplateDatabases(): Promise<() => Promise<void>> {
  process.env[RUN_VARIABLE] = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  await withAdmin(async (admin) => {
    // Templates of runs that died without cleaning up (older than a day).
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'sky\\_template\\_%' OR datname LIKE 'sky\\_test\\_%'",
    );
    for (const { datname } of rows) {
      const run = /^sky_(?:template|test)_([0-9a-z]+?)[0-9a-f]{4}_/.exec(datname)?.[1];
      const ageMs = run ? Date.now() - parseInt(run, 36) : 0;
      if (ageMs > 24 * 3600_000)
        await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  });
  for (const subgraph of SUBGRAPH_NAMES) {
    const name = templateName(subgraph);
    const role = databaseRoleOf(subgraph);
    await withAdmin(async (admin) => {
      // One login role per subgraph, as in compose; concurrent runs on one machine share them.
      await ensureSubgraphRole(admin, role, testSettings.TEST_DATABASE_PASSWORD);
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name} OWNER ${role}`);
      await closeDatabaseToOthers(admin, name);
    });
    // Migrated as the subgraph's role, so every table of every copy belongs to that role.
    const database = await openDatabase({
      kind: 'postgres',
      url: databaseUrl(name, role),
      poolSize: 1,
    });
    try {
      await migrate(database, migrationsDirOf(subgraph));
    } finally {
      await database.close();
    }
  }
  return async () => {
    await withAdmin(async (admin) => {
      for (const subgraph of SUBGRAPH_NAMES) {
        await admin.query(`DROP DATABASE IF EXISTS ${templateName(subgraph)} WITH (FORCE)`);
        for (const variant of await variantsOf(admin, subgraph)) {
          await admin.query(`DROP DATABASE IF EXISTS ${variant} WITH (FORCE)`);
        }
      }
    });
  };
}

async function variantsOf(admin: pg.Client, subgraph: SubgraphName): Promise<string[]> {
  const { rows } = await admin.query<{ datname: string }>(
    'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
    [`${templateName(subgraph)}_`],
  );
  return rows.map((row) => row.datname);
}

const variantName = (subgraph: SubgraphName, variant: string) => {
  if (!/^[a-z][a-z0-9]*$/.test(variant)) throw new Error(`bad template variant ${variant}`);
  return `${templateName(subgraph)}_${variant}`;
};

/**
 * Makes a variant of the templates once per test run, for test files that all need the same
 * costly contents (the demo dataset, say): the first caller fills fresh copies with `fill`, which
 * must close its connections; every later one (in any worker) finds the variant ready. Then
 * `createTestDatabase(subgraph, { variant })` copies it.
 */
export async function prepareTemplateVariant(
  variant: string,
  fill: (databases: Record<SubgraphName, TestDatabase>) => Promise<void>,
): Promise<void> {
  await withAdmin(async (admin) => {
    // Workers run test files in parallel: one fills, the others wait for it.
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [variantName('user', variant)]);
    try {
      const ready = await variantsOf(admin, 'user');
      if (ready.includes(variantName('user', variant))) return;
      const databases = {} as Record<SubgraphName, TestDatabase>;
      for (const subgraph of SUBGRAPH_NAMES)
        databases[subgraph] = await createTestDatabase(subgraph);
      try {
        await fill(databases);
        for (const subgraph of SUBGRAPH_NAMES) {
          // A pool that `fill` closed may leave a backend behind for a moment.
          await admin.query(
            'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
            [databases[subgraph].name],
          );
          await admin.query(
            `ALTER DATABASE ${databases[subgraph].name} RENAME TO ${variantName(subgraph, variant)}`,
          );
        }
      } catch (error) {
        for (const database of Object.values(databases)) await database.drop();
        throw error;
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [variantName('user', variant)]);
    }
  });
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one subgraph, copied from its template, owned by the subgraph's
 * role and closed to every other role; its URL carries that role's credentials. `empty` is a
 * bare database for the administrator (migration tests); `variant` copies a template variant
 * (`prepareTemplateVariant`) instead.
 */
export async function createTestDatabase(
  subgraph: SubgraphName | 'empty',
  options: { variant?: string } = {},
): Promise<TestDatabase> {
  const name = `sky_test_${process.env[RUN_VARIABLE]}_${subgraph}_${randomBytes(4).toString('hex')}`;
  const role = subgraph === 'empty' ? undefined : databaseRoleOf(subgraph);
  await withAdmin(async (admin) => {
    if (subgraph === 'empty') {
      await admin.query(`CREATE DATABASE ${name}`);
      return;
    }
    const template = options.variant
      ? variantName(subgraph, options.variant)
      : templateName(subgraph);
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template} OWNER ${role}`);
    await closeDatabaseToOthers(admin, name);
  });
  return {
    name,
    url: databaseUrl(name, role),
    drop: () =>
      withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => {},
      ),
  };
}
