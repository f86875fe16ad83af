import { runMain } from '@sky/config';
import { exitOnSignals, startTracing } from '@sky/telemetry';
import { loadConfig } from './config.ts';
import { createDeliverySubgraph } from './server.ts';

await runMain(async () => {
  const config = loadConfig(process.env);
  startTracing(config.tracing);
  const subgraph = await createDeliverySubgraph(config);
  await subgraph.listen(config.port, config.host);
  exitOnSignals(subgraph.close);
});
