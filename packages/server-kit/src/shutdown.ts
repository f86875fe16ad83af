import type { Logger } from '@sky/logging';
import { stopTracing } from '@sky/telemetry';

/** Beyond the HTTP grace: time for event workers, Redis and the database to close. */
const CLOSE_MARGIN_MS = 10_000;

/**
 * SIGTERM (Kubernetes, compose) and SIGINT (a terminal) stop the service gracefully with `stop`,
 * export the spans still buffered (a batch not yet sent to the collector would be lost with the
 * process), and exit 0. A second signal, or a stop that hangs well past `graceMs`, exits at once with 1:
 * the operator asked twice, or something will never finish.
 */
export function stopOnSignals(
  stop: () => Promise<void>,
  { logger, graceMs }: { logger: Logger; graceMs: number },
): void {
  const forceAfterMs = graceMs + CLOSE_MARGIN_MS;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping: draining requests, connections and events');
    setTimeout(() => {
      logger.error('graceful stop took too long: exiting');
      process.exit(1);
    }, forceAfterMs).unref();
    stop()
      .then(stopTracing)
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'graceful stop failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
