import { CATALOG_CHANGED_CHANNEL, type CatalogChangedMessage, type LivePubSub } from '@sky/events';
import { randomUUID } from 'node:crypto';

/**
 * Announces a committed change of public catalog data to the gateway's response cache. Best
 * effort, like every live message: a lost one leaves cached answers until their short TTL ends;
 * it never fails. Callers that answer a client await it, so Redis has handed the message to the
 * gateways before the client can ask again.
 */
export async function announceCatalogChange(
  live: LivePubSub,
  merchantId: string | null = null,
): Promise<void> {
  const message: CatalogChangedMessage = { changeId: randomUUID(), merchantId };
  await live.publish(CATALOG_CHANGED_CHANNEL, message).catch(() => {});
}
