import { describe, expect, it } from 'vitest';
import { readOrderCancelled, readOrderConfirmed } from './order-events.ts';

const now = new Date('2026-11-25T08:00:00.000Z');
const ids = {
  orderId: '0190f5a2-7c3e-7b1a-9d2e-00000000000a',
  customerId: '0190f5a2-7c3e-7b1a-9d2e-00000000000b',
  merchantId: '0190f5a2-7c3e-7b1a-9d2e-00000000000c',
};

describe('readOrderConfirmed', () => {
  it('reads the documented payload, pickup optional', () => {
    expect(
      readOrderConfirmed(
        { ...ids, address: { latitude: 31.23, longitude: 121.47 }, at: '2026-11-25T07:59:00.000Z' },
        now,
      ),
    ).toEqual({
      ...ids,
      dropoff: { latitude: 31.23, longitude: 121.47 },
      pickup: null,
      at: new Date('2026-11-25T07:59:00.000Z'),
    });
  });

  it('takes the merchant location when the producer sends it', () => {
    const read = readOrderConfirmed(
      {
        ...ids,
        address: { latitude: 31.23, longitude: 121.47 },
        pickup: { latitude: 31.2355, longitude: 121.4768 },
      },
      now,
    );
    expect(read?.pickup).toEqual({ latitude: 31.2355, longitude: 121.4768 });
    expect(read?.at).toEqual(now);
  });

  it('refuses payloads without ids or a valid address', () => {
    expect(
      readOrderConfirmed({ ...ids, orderId: 'x', address: { latitude: 1, longitude: 2 } }, now),
    ).toBeNull();
    expect(readOrderConfirmed({ ...ids, address: { latitude: 91, longitude: 2 } }, now)).toBeNull();
    expect(readOrderConfirmed({ ...ids }, now)).toBeNull();
  });

  it('ignores an invalid pickup rather than the whole event', () => {
    const read = readOrderConfirmed(
      { ...ids, address: { latitude: 1, longitude: 2 }, pickup: { latitude: 'a' } },
      now,
    );
    expect(read?.pickup).toBeNull();
  });
});

describe('readOrderCancelled', () => {
  it('keeps the reason, with a default', () => {
    expect(readOrderCancelled({ orderId: ids.orderId, reason: 'out of noodles' }, now)).toEqual({
      orderId: ids.orderId,
      reason: 'out of noodles',
      at: now,
    });
    expect(readOrderCancelled({ orderId: ids.orderId, reason: null }, now)?.reason).toBe(
      'order cancelled',
    );
    expect(readOrderCancelled({}, now)).toBeNull();
  });
});
