import { runMain } from '@sky/config';
import { loadConfig } from './config.ts';
import { createGateway } from './server.ts';

await runMain(async () => {
  const config = loadConfig(process.env);
  const gateway = await createGateway(config);
  await gateway.listen(config.port, config.host);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void gateway.stop().then(() => process.exit(0)));
  }
});
