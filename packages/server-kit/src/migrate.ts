import type { MigrationConfig } from '@sky/config';
import { openSubgraphDatabase } from '@sky/database';
import { createLogger } from '@sky/logging';

/** The argument that makes a subgraph's `main.js` migrate and exit instead of serving. */
export const MIGRATE_COMMAND = 'migrate';

/**
 * Applies the subgraph's pending migrations and closes the database: what a deployment runs once
 * per release (the Kubernetes migration Job) before the replicas start, so they never race over
 * a migration. The replicas still migrate on start, under PostgreSQL's advisory lock, as the
 * safety net: after the Job they find nothing to apply.
 */
export async function migrateSubgraph(config: MigrationConfig): Promise<void> {
  const logger = createLogger(config.name, config.logLevel);
  const database = await openSubgraphDatabase(config.name, config.database, logger);
  await database.close();
  logger.info('database schema is up to date');
}
