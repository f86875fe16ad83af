import { runMain } from '@sky/config';
import { loadConfig } from './config.ts';
import { createPaymentSandbox } from './sandbox.ts';

await runMain(async () => {
  const config = loadConfig(process.env);
  const sandbox = createPaymentSandbox(config);
  await sandbox.listen(config.port, config.host);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void sandbox.stop().then(() => process.exit(0)));
  }
});
