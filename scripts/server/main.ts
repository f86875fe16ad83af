/**
 * `npm run server`: server mode on this machine. The payment sandbox, the five subgraphs and the
 * gateway start from their built bundles (`npm run build`) as child processes, each with its own
 * variables (scripts/server/settings.ts), against the PostgreSQL databases `npm run server:setup`
 * created and the Redis at REDIS_URL. Every line is prefixed with its service. Ctrl-C (or SIGTERM)
 * stops them all; if one fails to start, or dies later, the others are stopped and this exits 1.
 */
import { runMain } from '@sky/config';
import { readinessProbe, startService, type ServiceProcess } from './processes.ts';
import {
  bundleOf,
  defaultPort,
  directAddresses,
  loadServerSettings,
  serviceEnv,
  SUBGRAPHS,
  type Service,
} from './settings.ts';

await runMain(async () => {
  const settings = loadServerSettings();
  const addresses = directAddresses(settings);
  const services: Service[] = ['payment-sandbox', ...SUBGRAPHS, 'gateway'];
  const running: ServiceProcess[] = services.map((service) => {
    const port = defaultPort(settings, service);
    return startService(
      service,
      bundleOf(service),
      serviceEnv(settings, service, port, addresses),
      {
        ...readinessProbe(service),
        url: `http://${settings.HOST}:${port}${readinessProbe(service).path}`,
      },
    );
  });
  let stopping = false;
  const stopAll = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(running.map((service) => service.stop()));
    process.exit(exitCode);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopAll(0));
  for (const service of running) {
    void service.exited.then((code) => {
      if (stopping) return;
      console.error(`${service.label} exited (${code}); stopping the others`);
      void stopAll(1);
    });
  }
  await Promise.all(running.map((service) => service.ready)).catch(() => {});
  if (stopping) return;
  console.log(
    `server mode ready: GraphQL endpoint http://${settings.HOST}:${settings.PORT}/graphql`,
  );
});
