import { join } from 'node:path';
import type { Logger } from '@sky/logging';
import { openDatabase, type Database, type DatabaseTarget } from './connection.ts';
import { migrate } from './migrations.ts';
import { prepareFromTemplate } from './pglite-template.ts';

const repositoryRoot = join(import.meta.dirname, '..', '..', '..');

/** `prisma/<subgraph>/migrations` of this repository. */
export const migrationsDirOf = (subgraph: string) =>
  join(repositoryRoot, 'prisma', subgraph, 'migrations');

/** Opens a subgraph's own database and brings its schema up to date (both modes). */
export async function openSubgraphDatabase(
  subgraph: string,
  target: DatabaseTarget,
  logger: Logger,
): Promise<Database> {
  if (target.kind === 'pglite' && target.dataDir && target.templateDir) {
    const migrationsDir = migrationsDirOf(subgraph);
    const prepared = await prepareFromTemplate(
      subgraph,
      migrationsDir,
      target.dataDir,
      target.templateDir,
      async (dataDir) => {
        const fresh = await openDatabase({ kind: 'pglite', dataDir });
        try {
          await migrate(fresh, migrationsDir);
        } finally {
          await fresh.close();
        }
      },
    );
    if (prepared !== 'existing') logger.info({ prepared }, 'database created from its template');
  }
  const database = await openDatabase(target);
  try {
    const applied = await migrate(database, migrationsDirOf(subgraph));
    if (applied.length > 0) logger.info({ applied }, 'applied migrations');
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
