import {
  commonEnv,
  parseEnv,
  port,
  readTracingSettings,
  runMain,
  tracingEnv,
  z,
} from '@sky/config';
import { stopOnSignals } from '@sky/server-kit';
import { startTracing } from '@sky/telemetry';
import { DEMO_PASSWORD, users } from '@sky/demo-data';
import { createLogger } from '@sky/logging';
import { join } from 'node:path';
import { startPlatform } from './platform.ts';

const repositoryRoot = join(import.meta.dirname, '..', '..', '..');

/** How long in-flight requests get to finish on Ctrl-C (one developer's process). */
const EMBEDDED_SHUTDOWN_GRACE_MS = 5_000;

await runMain(async () => {
  const settings = parseEnv(
    {
      ...commonEnv,
      ...tracingEnv,
      SKY_DATA_DIR: z.string().default(join(repositoryRoot, '.data')),
      // Prepared, migrated databases a first start copies (empty: build each one from scratch).
      SKY_TEMPLATE_DIR: z
        .string()
        .default(join(repositoryRoot, 'node_modules', '.cache', 'sky-pglite-templates')),
      HOST: z.string().default('127.0.0.1'),
      PORT: port(4000),
    },
    process.env,
  );
  // One SDK for the six services of this process; spans name their service (sky.service).
  startTracing(readTracingSettings(settings, 'sky-embedded'));
  const logger = createLogger('embedded', settings.LOG_LEVEL);
  const started = Date.now();
  const platform = await startPlatform({
    storage: {
      mode: 'embedded',
      dataDir: settings.SKY_DATA_DIR,
      templateDir: settings.SKY_TEMPLATE_DIR || null,
    },
    seed: true,
    gatewayPort: settings.PORT,
    host: settings.HOST,
    env: { ...process.env, LOG_LEVEL: settings.LOG_LEVEL },
    logger,
  });
  const explorers = platform.explorerUrls
    ? `  Apollo Sandbox (needs internet): ${platform.explorerUrls.sandbox} in a browser
  GraphiQL (works offline): ${platform.explorerUrls.graphiql}
`
    : '';
  const accounts = users.map((u) => `    ${u.roles.join(',').padEnd(15)} ${u.email}`).join('\n');
  console.log(`
Sky Take-out is running (embedded mode, started in ${Date.now() - started} ms).

  GraphQL endpoint: ${platform.gatewayUrl}
${explorers}  Data directory: ${settings.SKY_DATA_DIR}

  Demo accounts (password "${DEMO_PASSWORD}"):
${accounts}
`);
  stopOnSignals(platform.stop, { logger, graceMs: EMBEDDED_SHUTDOWN_GRACE_MS });
});
