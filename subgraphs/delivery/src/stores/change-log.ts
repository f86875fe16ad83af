import type { Delivery } from '../__generated__/prisma/client.ts';

/** A delivery change that live subscribers must hear about once its transaction commits. */
export interface DeliveryChange {
  deliveryId: string;
  orderId: string;
  version: number;
}

/**
 * What one transaction changed that others must hear about after it commits: the deliveries whose
 * version it raised (`courier:<orderId>` on the live channel) and whether it wrote events (the
 * outbox relay is kicked). The write stores fill it in as they go, so no change is forgotten.
 */
export class ChangeLog {
  private readonly changes = new Map<string, DeliveryChange>();
  private wroteEvents = false;

  deliveryChanged(delivery: Pick<Delivery, 'id' | 'orderId' | 'version'>): void {
    this.changes.set(delivery.id, {
      deliveryId: delivery.id,
      orderId: delivery.orderId,
      version: delivery.version,
    });
  }

  eventWritten(): void {
    this.wroteEvents = true;
  }

  /** The last version of each changed delivery. */
  get deliveries(): DeliveryChange[] {
    return [...this.changes.values()];
  }

  get eventsWritten(): boolean {
    return this.wroteEvents;
  }
}
