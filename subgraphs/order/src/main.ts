import { runMain } from '@sky/config';
import { stopOnSignals } from '@sky/server-kit';
import { loadConfig } from './config.ts';
import { createOrderSubgraph } from './server.ts';

await runMain(async () => {
  const config = loadConfig(process.env);
  const subgraph = await createOrderSubgraph(config);
  await subgraph.listen(config.port, config.host);
  stopOnSignals(subgraph.close, {
    logger: subgraph.logger,
    graceMs: config.resilience.shutdownGraceMs,
  });
});
