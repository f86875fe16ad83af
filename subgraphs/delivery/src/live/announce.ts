import type { LivePubSub } from '@sky/events';
import type { Logger } from '@sky/logging';
import type { ChangeLog } from '../stores/change-log.ts';
import { courierChannel, type CourierMessage } from './courier-stream.ts';

/**
 * After a transaction commits: every delivery it changed is announced on its order's courier
 * channel (subscribers re-read it and drop versions they have sent), and the outbox relay is
 * kicked when it wrote events. Publishing is best effort: a lost message only delays an update.
 */
export function announceChanges(
  log: ChangeLog,
  services: { live: LivePubSub | null; kickRelay: () => void },
  logger: Logger,
): void {
  if (log.eventsWritten) services.kickRelay();
  for (const change of log.deliveries) {
    const message: CourierMessage = { orderId: change.orderId, version: change.version };
    services.live
      ?.publish(courierChannel(change.orderId), message)
      .catch((error: unknown) =>
        logger.warn({ err: error, orderId: change.orderId }, 'live update not published'),
      );
  }
}
