import {
  createTestDatabase,
  databaseRoleOf,
  SUBGRAPH_NAMES,
  type SubgraphName,
  type TestDatabase,
} from '@sky/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * One PostgreSQL role per subgraph (as in compose): each subgraph's credentials open its own
 * database and nothing else, and none of them is a superuser (which could read every database,
 * password hashes included).
 */
const databases = {} as Record<SubgraphName, TestDatabase>;
beforeAll(async () => {
  for (const name of SUBGRAPH_NAMES) databases[name] = await createTestDatabase(name);
});
afterAll(async () => {
  for (const database of Object.values(databases)) await database.drop();
});

/** `credentialsOf`'s user and password, pointed at `target`'s database. */
function crossUrl(credentialsOf: SubgraphName, target: SubgraphName): string {
  const url = new URL(databases[credentialsOf].url);
  url.pathname = new URL(databases[target].url).pathname;
  return url.toString();
}

async function connectError(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

const pairs = SUBGRAPH_NAMES.flatMap((from) =>
  SUBGRAPH_NAMES.filter((to) => to !== from).map((to) => [from, to] as const),
);

describe('database isolation', () => {
  it.each(pairs)("%s's credentials cannot connect to the %s database", async (from, to) => {
    // 42501: insufficient_privilege ("User does not have CONNECT privilege").
    expect(await connectError(crossUrl(from, to))).toBe('42501');
  });

  it.each(SUBGRAPH_NAMES)(
    '%s connects to its own database as its own role, not a superuser',
    async (name) => {
      const client = new pg.Client({ connectionString: databases[name].url });
      await client.connect();
      try {
        const { rows } = await client.query<{ user: string; superuser: boolean; tables: number }>(
          `SELECT current_user AS user, rolsuper AS superuser,
                (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public') AS tables
           FROM pg_roles WHERE rolname = current_user`,
        );
        expect(rows[0]).toMatchObject({ user: databaseRoleOf(name), superuser: false });
        expect(rows[0]!.tables).toBeGreaterThan(0);
        // Password hashes of every role live in pg_authid: out of reach.
        await expect(client.query('SELECT rolpassword FROM pg_authid')).rejects.toMatchObject({
          code: '42501',
        });
      } finally {
        await client.end();
      }
    },
  );
});
