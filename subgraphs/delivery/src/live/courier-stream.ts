import { versionedStream } from '@sky/events';
import type { Delivery } from '../stores/index.ts';
import { isFinalDeliveryStatus } from '../domain/delivery-status.ts';

/** The live channel of an order's delivery (docs/architecture.md, 2.3): `{ orderId, version }`. */
export const courierChannel = (orderId: string) => `courier:${orderId}`;

export interface CourierMessage {
  orderId: string;
  version: number;
}

/**
 * The `courierLocation` event stream: the delivery now, then after every change (see
 * `versionedStream`); it ends after a final state (DELIVERED, CANCELLED).
 */
export function courierStream(options: {
  source: AsyncIterator<CourierMessage>;
  /** Reads the delivery as it is now (no per-request cache). */
  read: () => Promise<Delivery | null>;
}): AsyncIterableIterator<{ courierLocation: Delivery }> {
  return versionedStream<Delivery, { courierLocation: Delivery }>({
    source: options.source,
    read: () => options.read(),
    isFinal: (delivery) => isFinalDeliveryStatus(delivery.status),
    toPayload: (delivery) => ({ courierLocation: delivery }),
  });
}
