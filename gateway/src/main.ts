import { runMain } from '@sky/config';
import { stopOnSignals } from '@sky/server-kit';
import { startTracing } from '@sky/telemetry';
import { loadConfig } from './config.ts';
import { createGateway } from './server.ts';

await runMain(async () => {
  const config = loadConfig(process.env);
  startTracing(config.tracing);
  const gateway = await createGateway(config);
  const { url } = await gateway.listen(config.port, config.host);
  const explorers = gateway.explorerUrls(url);
  if (explorers) {
    // The start banner: where a browser finds each explorer.
    console.log(`Apollo Sandbox (needs internet): ${explorers.sandbox} in a browser`);
    console.log(`GraphiQL (works offline): ${explorers.graphiql}`);
  }
  stopOnSignals(gateway.stop, {
    logger: gateway.logger,
    graceMs: config.resilience.shutdownGraceMs,
  });
});
