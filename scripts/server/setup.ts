/**
 * `npm run server:setup`: one role and one database per subgraph on the local PostgreSQL
 * (POSTGRES_URL, the administrator), named `<DATABASE_PREFIX>_<subgraph>`, with the passwords
 * `npm run keys` wrote to `.env`. Running it again changes nothing but the roles' passwords (set
 * again from `.env`). Tables come later: each subgraph migrates its own database at start.
 */
import { runMain } from '@sky/config';
import { ensureOwnedDatabase, ensureSubgraphRole } from '@sky/database';
import pg from 'pg';
import { databaseName, databasePassword, loadServerSettings, SUBGRAPHS } from './settings.ts';

await runMain(async () => {
  const settings = loadServerSettings();
  const admin = new pg.Client({ connectionString: settings.POSTGRES_URL });
  await admin.connect();
  try {
    for (const subgraph of SUBGRAPHS) {
      const name = databaseName(settings, subgraph);
      await ensureSubgraphRole(admin, name, databasePassword(settings, subgraph));
      console.log(
        `${subgraph}: role ${name}, database ${name} ${await ensureOwnedDatabase(admin, name, name)}`,
      );
    }
  } finally {
    await admin.end();
  }
});
