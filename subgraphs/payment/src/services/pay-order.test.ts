import { describe, expect, it } from 'vitest';
import { payOrderRequestHash, validatePayOrder, type PayOrderRequest } from './pay-order.ts';

const request: PayOrderRequest = {
  orderId: '00000000-0000-4000-a000-000000000001',
  method: 'SANDBOX',
  idempotencyKey: 'k1',
  testOutcome: null,
};

const fieldOf = (run: () => void) => {
  try {
    run();
  } catch (error) {
    return (error as { extensions: Record<string, unknown> }).extensions;
  }
  return null;
};

describe('payOrderRequestHash', () => {
  it('is the same for the same input and differs for any other order, method or outcome', () => {
    const hash = payOrderRequestHash(request);
    expect(payOrderRequestHash({ ...request, idempotencyKey: 'other' })).toBe(hash);
    expect(payOrderRequestHash({ ...request, method: 'ALIPAY' })).not.toBe(hash);
    expect(
      payOrderRequestHash({ ...request, orderId: '00000000-0000-4000-a000-000000000002' }),
    ).not.toBe(hash);
    expect(payOrderRequestHash({ ...request, testOutcome: 'DECLINE' })).not.toBe(hash);
  });
});

describe('validatePayOrder', () => {
  it('accepts a well-formed request', () => {
    expect(() => validatePayOrder(request, false)).not.toThrow();
  });

  it('names the offending field', () => {
    expect(fieldOf(() => validatePayOrder({ ...request, idempotencyKey: '' }, true))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'idempotencyKey',
    });
    expect(
      fieldOf(() => validatePayOrder({ ...request, idempotencyKey: 'k'.repeat(256) }, true)),
    ).toMatchObject({ field: 'idempotencyKey' });
    expect(fieldOf(() => validatePayOrder({ ...request, orderId: '1' }, true))).toMatchObject({
      field: 'orderId',
    });
  });

  it('accepts testOutcome only where test outcomes are allowed', () => {
    const withOutcome = { ...request, testOutcome: 'SUCCESS' as const };
    expect(() => validatePayOrder(withOutcome, true)).not.toThrow();
    expect(fieldOf(() => validatePayOrder(withOutcome, false))).toMatchObject({
      field: 'testOutcome',
    });
  });
});
