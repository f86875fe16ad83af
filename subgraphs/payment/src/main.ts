import { runMain } from '@sky/config';
import { startTracing, stopTracing } from '@sky/telemetry';
import { loadConfig } from './config.ts';
import { createPaymentSubgraph } from './server.ts';

await runMain(async () => {
  const config = loadConfig(process.env);
  startTracing(config.tracing);
  const subgraph = await createPaymentSubgraph(config);
  await subgraph.listen(config.port, config.host);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(
      signal,
      () =>
        void subgraph
          .close()
          .then(stopTracing)
          .then(() => process.exit(0)),
    );
  }
});
