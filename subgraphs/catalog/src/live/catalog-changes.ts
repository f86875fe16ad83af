import { CATALOG_CHANGED_CHANNEL, type CatalogChangedMessage, type LivePubSub } from '@sky/events';
import { randomUUID } from 'node:crypto';

/**
 * Announces a committed change of public catalog data to the gateway's response cache. Best
 * effort, like every live message: a lost one leaves cached answers until their short TTL ends.
 */
export function announceCatalogChange(live: LivePubSub, merchantId: string | null = null): void {
  const message: CatalogChangedMessage = { changeId: randomUUID(), merchantId };
  void live.publish(CATALOG_CHANGED_CHANNEL, message).catch(() => {});
}
