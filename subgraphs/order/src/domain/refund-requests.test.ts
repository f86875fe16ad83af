import type { Role, Viewer } from '@sky/auth';
import { describe, expect, it } from 'vitest';
import {
  canDecide,
  deciderFor,
  parsePhotoUrl,
  parseRefundClaim,
  priceClaim,
  refundable,
  refundClaimHash,
  type RefundDecision,
  type RefundRequestStatus,
} from './refund-requests.ts';

const orderId = '11111111-1111-4111-a111-111111111111';
const lineA = '22222222-2222-4222-a222-222222222222';
const lineB = '33333333-3333-4333-a333-333333333333';
const merchantId = '44444444-4444-4444-a444-444444444444';

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    const { extensions } = error as { extensions: { code: string; field?: string } };
    return [extensions.code, extensions.field];
  }
  return null;
};

describe('parseRefundClaim', () => {
  const base = { orderId, reason: 'missing a bowl', idempotencyKey: 'k1' };

  it('takes exactly one of items and amount', () => {
    expect(codeOf(() => parseRefundClaim(base))).toEqual(['BAD_USER_INPUT', 'items']);
    expect(
      codeOf(() =>
        parseRefundClaim({ ...base, amount: 5, items: [{ orderItemId: lineA, quantity: 1 }] }),
      ),
    ).toEqual(['BAD_USER_INPUT', 'items']);
    expect(parseRefundClaim({ ...base, amount: 5 }).amount).toBe(5);
  });

  it('refuses repeated lines, quantities and amounts below 1, and a blank reason', () => {
    const twice = [
      { orderItemId: lineA, quantity: 1 },
      { orderItemId: lineA.toUpperCase(), quantity: 1 },
    ];
    expect(codeOf(() => parseRefundClaim({ ...base, items: twice }))).toEqual([
      'BAD_USER_INPUT',
      'items.1.orderItemId',
    ]);
    expect(
      codeOf(() => parseRefundClaim({ ...base, items: [{ orderItemId: lineA, quantity: 0 }] })),
    ).toEqual(['BAD_USER_INPUT', 'items.0.quantity']);
    expect(codeOf(() => parseRefundClaim({ ...base, amount: 0 }))).toEqual([
      'BAD_USER_INPUT',
      'amount',
    ]);
    expect(codeOf(() => parseRefundClaim({ ...base, amount: 1.5 }))).toEqual([
      'BAD_USER_INPUT',
      'amount',
    ]);
    expect(codeOf(() => parseRefundClaim({ ...base, amount: 1, reason: ' ' }))).toEqual([
      'BAD_USER_INPUT',
      'reason',
    ]);
  });

  it('hashes the same claim the same, whatever the order of its lines', () => {
    const a = parseRefundClaim({
      ...base,
      items: [
        { orderItemId: lineA, quantity: 1 },
        { orderItemId: lineB, quantity: 2 },
      ],
    });
    const b = parseRefundClaim({
      ...base,
      items: [
        { orderItemId: lineB, quantity: 2 },
        { orderItemId: lineA, quantity: 1 },
      ],
    });
    expect(refundClaimHash(a)).toBe(refundClaimHash(b));
    expect(refundClaimHash(a)).not.toBe(refundClaimHash({ ...a, reason: 'other' }));
  });
});

describe('parsePhotoUrl', () => {
  it('takes http and https URLs of bounded length only', () => {
    expect(parsePhotoUrl(' https://img.example.com/a.jpg ')).toBe('https://img.example.com/a.jpg');
    expect(parsePhotoUrl('http://img.example.com/a.jpg')).toBe('http://img.example.com/a.jpg');
    expect(parsePhotoUrl(null)).toBeNull();
    for (const bad of ['javascript:alert(1)', 'data:image/png;base64,AAAA', 'not a url']) {
      expect(codeOf(() => parsePhotoUrl(bad))).toEqual(['BAD_USER_INPUT', 'photoUrl']);
    }
    expect(codeOf(() => parsePhotoUrl(`https://x.example/${'a'.repeat(2000)}`))).toEqual([
      'BAD_USER_INPUT',
      'photoUrl',
    ]);
  });
});

describe('refundable and priceClaim', () => {
  const lines = [
    { id: lineA, quantity: 2, unitPriceAmount: 1800 },
    { id: lineB, quantity: 1, unitPriceAmount: 800 },
  ];
  const order = { totalAmount: 2 * 1800 + 800 + 600 };

  it('prices items at their placement price and takes only what is left', () => {
    const left = refundable(order, lines, [
      { amount: 1800, items: [{ orderItemId: lineA, quantity: 1 }] },
    ]);
    expect(left.amount).toBe(order.totalAmount - 1800);
    expect(
      priceClaim({ items: [{ orderItemId: lineA, quantity: 1 }], amount: null }, left),
    ).toEqual({ amount: 1800, items: [{ orderItemId: lineA, quantity: 1, amount: 1800 }] });
    expect(
      codeOf(() =>
        priceClaim({ items: [{ orderItemId: lineA, quantity: 2 }], amount: null }, left),
      ),
    ).toEqual(['REFUND_EXCEEDS_REFUNDABLE', undefined]);
    expect(
      codeOf(() =>
        priceClaim({ items: [{ orderItemId: orderId, quantity: 1 }], amount: null }, left),
      ),
    ).toEqual(['BAD_USER_INPUT', 'items.0.orderItemId']);
  });

  it('caps an amount at the total minus what was refunded, items and amounts together', () => {
    const left = refundable(order, lines, [
      { amount: 800, items: [{ orderItemId: lineB, quantity: 1 }] },
      { amount: 1000, items: [] },
    ]);
    expect(priceClaim({ items: null, amount: left.amount }, left).amount).toBe(
      order.totalAmount - 1800,
    );
    expect(codeOf(() => priceClaim({ items: null, amount: left.amount + 1 }, left))).toEqual([
      'REFUND_EXCEEDS_REFUNDABLE',
      undefined,
    ]);
  });
});

describe('decisions: status × decision × role', () => {
  const viewer = (roles: Role[], staffOf: string | null = null): Viewer => ({
    userId: '55555555-5555-4555-a555-555555555555',
    roles,
    merchantId: staffOf,
    expiresAt: 0,
    token: '',
  });

  it('lets only the merchant staff and admins decide', () => {
    expect(deciderFor(viewer(['MERCHANT_STAFF'], merchantId), { merchantId })).toBe('MERCHANT');
    expect(deciderFor(viewer(['ADMIN']), { merchantId })).toBe('ADMIN');
    for (const stranger of [
      viewer(['MERCHANT_STAFF'], orderId),
      viewer(['CUSTOMER'], merchantId),
      viewer(['RIDER']),
    ]) {
      expect(codeOf(() => deciderFor(stranger, { merchantId }))).toEqual(['FORBIDDEN', undefined]);
    }
  });

  it('follows the table', () => {
    const allowed: Record<string, string[]> = {};
    for (const status of ['PENDING', 'APPROVED', 'REJECTED', 'REFUNDED'] as RefundRequestStatus[]) {
      for (const decision of ['APPROVE', 'REJECT'] as RefundDecision[]) {
        for (const by of ['MERCHANT', 'ADMIN'] as const) {
          if (canDecide(decision, by, status)) (allowed[status] ??= []).push(`${decision}:${by}`);
        }
      }
    }
    expect(allowed).toEqual({
      PENDING: ['APPROVE:MERCHANT', 'APPROVE:ADMIN', 'REJECT:MERCHANT', 'REJECT:ADMIN'],
      REJECTED: ['APPROVE:ADMIN'],
    });
  });
});
