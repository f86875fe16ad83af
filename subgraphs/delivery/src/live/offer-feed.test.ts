import { testChannel } from '@sky/testkit';
import { describe, expect, it } from 'vitest';
import type { DeliveryOffer } from '../stores/index.ts';
import { offerStream, type OfferMessage } from './offer-feed.ts';

const offeredAt = new Date('2026-12-07T12:00:00.000Z');
const offers: Record<string, DeliveryOffer> = {
  mine: { id: 'mine', riderId: 'r', offeredAt } as DeliveryOffer,
  waiting: { id: 'waiting', riderId: 'r', offeredAt } as DeliveryOffer,
  theirs: { id: 'theirs', riderId: 'other', offeredAt } as DeliveryOffer,
};
const at = '2026-12-07T12:00:05.000Z';

function start(current: DeliveryOffer | null) {
  const live = testChannel<OfferMessage>();
  const stream = offerStream({
    riderId: 'r',
    source: live.source,
    pending: live.source.next(),
    current: async () => current,
    read: async (offerId) => offers[offerId] ?? null,
  });
  return { live, stream };
}

describe('offerStream', () => {
  it('starts with the offer waiting now, then sends only the rider’s own offers, once per kind', async () => {
    const { live, stream } = start(offers.waiting!);
    expect(await stream.next()).toEqual({
      done: false,
      value: { kind: 'NEW', offer: offers.waiting, at: offeredAt },
    });
    live.push({ kind: 'NEW', offerId: 'waiting', at }); // already sent as the first message
    live.push({ kind: 'NEW', offerId: 'theirs', at }); // another rider's
    live.push({ kind: 'NEW', offerId: 'unknown', at });
    live.push({ kind: 'BOGUS' as 'NEW', offerId: 'mine', at });
    live.push({ kind: 'EXPIRED', offerId: 'waiting', at });
    expect(await stream.next()).toEqual({
      done: false,
      value: { kind: 'EXPIRED', offer: offers.waiting, at: new Date(at) },
    });
  });

  it('ends at once when returned while waiting', async () => {
    const { live, stream } = start(null);
    const waiting = stream.next();
    await stream.return!();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(live.returned()).toBe(1);
  });
});
