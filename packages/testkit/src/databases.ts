import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { migrate, migrationsDirOf, openDatabase } from '@sky/database';
import { testSettings } from './settings.ts';

export const SUBGRAPH_NAMES = ['user', 'catalog', 'order', 'payment', 'delivery'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

const templateName = (subgraph: string) => `sky_template_${subgraph}`;

export function databaseUrl(database: string): string {
  const url = new URL(testSettings.TEST_POSTGRES_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

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
export async function prepareTemplateDatabases(): Promise<void> {
  for (const subgraph of SUBGRAPH_NAMES) {
    const name = templateName(subgraph);
    await withAdmin(async (admin) => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}`);
    });
    const database = await openDatabase({ kind: 'postgres', url: databaseUrl(name), poolSize: 1 });
    try {
      await migrate(database, migrationsDirOf(subgraph));
    } finally {
      await database.close();
    }
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one subgraph, copied from its template. */
export async function createTestDatabase(subgraph: SubgraphName | 'empty'): Promise<TestDatabase> {
  const name = `sky_test_${subgraph}_${randomBytes(5).toString('hex')}`;
  await withAdmin((admin) =>
    admin.query(
      subgraph === 'empty'
        ? `CREATE DATABASE ${name}`
        : `CREATE DATABASE ${name} TEMPLATE ${templateName(subgraph)}`,
    ),
  );
  return {
    name,
    url: databaseUrl(name),
    drop: () =>
      withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => {},
      ),
  };
}
