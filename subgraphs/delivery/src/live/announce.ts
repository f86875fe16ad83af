import type { LivePubSub } from '@sky/events';
import type { Logger } from '@sky/logging';
import type { Delivery } from '../stores/index.ts';
import { courierChannel, type CourierMessage } from './courier-stream.ts';

/**
 * The courier-channel messages of one transaction: every delivery it changed is announced on its
 * order's channel once the transaction has committed (subscribers re-read it and drop versions
 * they have sent), one message per delivery with the last version written. Publishing is best
 * effort: a lost message only delays an update.
 */
export class CourierAnnouncements {
  private readonly latest = new Map<string, CourierMessage>();

  constructor(
    private readonly live: LivePubSub,
    private readonly logger: Logger,
    private readonly afterCommit: (callback: () => void) => void,
  ) {}

  /** Called by the write stores for every version they write. */
  deliveryChanged(delivery: Pick<Delivery, 'id' | 'orderId' | 'version'>): void {
    if (this.latest.size === 0) this.afterCommit(() => this.publish());
    this.latest.set(delivery.id, { orderId: delivery.orderId, version: delivery.version });
  }

  private publish(): void {
    for (const message of this.latest.values()) {
      this.live
        .publish(courierChannel(message.orderId), message)
        .catch((error: unknown) =>
          this.logger.warn({ err: error, orderId: message.orderId }, 'live update not published'),
        );
    }
  }
}
