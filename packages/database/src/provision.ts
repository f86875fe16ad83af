import type pg from 'pg';

/**
 * One login role per subgraph and one database it owns (the TypeScript twin of
 * deploy/postgres-init.sql, which the PostgreSQL container runs at its first start): the role is
 * no superuser and creates no role or database, and nobody else may connect to its database, so a
 * compromised subgraph reads its own data only. Used by `npm run server:setup` and the test kit;
 * both may run again, so every step accepts what already exists.
 */

const quoteLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;
const identifier = (name: string) => {
  // Names come from configuration; anything but a plain identifier is refused, not quoted.
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain identifier: ${name}`);
  return name;
};

/** Creates the role, or resets its attributes and password when it exists. */
export async function ensureSubgraphRole(
  admin: pg.Client,
  role: string,
  password: string,
): Promise<void> {
  const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD ${quoteLiteral(password)}`;
  // Roles are cluster-wide, so concurrent callers may race to create one: that is not an error.
  await admin.query(`DO $$ BEGIN
      CREATE ROLE ${identifier(role)} ${attributes};
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      ALTER ROLE ${identifier(role)} ${attributes};
    END $$`);
}

/** Only the owning role may connect (the administrator still can: it is a superuser). */
export async function closeDatabaseToOthers(admin: pg.Client, database: string): Promise<void> {
  await admin.query(`REVOKE ALL ON DATABASE ${identifier(database)} FROM PUBLIC`);
}

/** Creates `database` owned by `owner` unless it exists, and closes it to every other role. */
export async function ensureOwnedDatabase(
  admin: pg.Client,
  database: string,
  owner: string,
): Promise<'created' | 'existed'> {
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [
    database,
  ]);
  if (!rowCount) {
    await admin.query(`CREATE DATABASE ${identifier(database)} OWNER ${identifier(owner)}`);
  }
  await closeDatabaseToOthers(admin, database);
  return rowCount ? 'existed' : 'created';
}
