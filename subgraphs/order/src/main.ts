import { loadMigrationConfig, runMain } from '@sky/config';
import { MIGRATE_COMMAND, migrateSubgraph, stopOnSignals } from '@sky/server-kit';
import { startTracing } from '@sky/telemetry';
import { loadConfig } from './config.ts';
import { createOrderSubgraph } from './server.ts';

await runMain(async () => {
  // `node main.js migrate`: the deployment's migration step (one Job per release), then exit.
  if (process.argv[2] === MIGRATE_COMMAND) {
    return migrateSubgraph(loadMigrationConfig('order', process.env));
  }
  const config = loadConfig(process.env);
  startTracing(config.tracing);
  const subgraph = await createOrderSubgraph(config);
  await subgraph.listen(config.port, config.host);
  stopOnSignals(subgraph.close, {
    logger: subgraph.logger,
    graceMs: config.resilience.shutdownGraceMs,
  });
});
