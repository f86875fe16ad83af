import { describe, expect, it } from 'vitest';
import {
  cartLineKey,
  checkDeliveryTime,
  parseAddToCart,
  parsePlaceOrderInput,
  parseReason,
} from './inputs.ts';

const merchantId = '22222222-2222-4222-a222-222222222222';
const dishId = '33333333-3333-4333-a333-333333333333';
const addressId = '44444444-4444-4444-a444-444444444444';

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    const { extensions } = error as { extensions: { code: string; field?: string } };
    return `${extensions.code}:${extensions.field}`;
  }
  return 'ok';
};

describe('parseAddToCart', () => {
  it('wants exactly one of dish and set meal, and 1..99 portions', () => {
    expect(parseAddToCart({ merchantId, dishId })).toMatchObject({ quantity: 1, flavor: null });
    expect(fieldOf(() => parseAddToCart({ merchantId }))).toBe('BAD_USER_INPUT:dishId');
    expect(fieldOf(() => parseAddToCart({ merchantId, dishId, setMealId: dishId }))).toBe(
      'BAD_USER_INPUT:dishId',
    );
    expect(fieldOf(() => parseAddToCart({ merchantId, dishId, quantity: 0 }))).toBe(
      'BAD_USER_INPUT:quantity',
    );
    expect(fieldOf(() => parseAddToCart({ merchantId, dishId, quantity: 100 }))).toBe(
      'BAD_USER_INPUT:quantity',
    );
    expect(fieldOf(() => parseAddToCart({ merchantId: 'x', dishId }))).toBe(
      'BAD_USER_INPUT:merchantId',
    );
  });

  it('treats a blank flavor as none', () => {
    expect(parseAddToCart({ merchantId, dishId, flavor: '  ' }).flavor).toBeNull();
  });
});

describe('cartLineKey', () => {
  it('separates flavors and kinds', () => {
    const a = cartLineKey({ dishId, setMealId: null, flavor: '微辣' });
    expect(a).toBe(`dish:${dishId}|微辣`);
    expect(cartLineKey({ dishId, setMealId: null, flavor: null })).not.toBe(a);
    expect(cartLineKey({ dishId: null, setMealId: dishId, flavor: null })).toBe(
      `setMeal:${dishId}|`,
    );
  });
});

describe('parsePlaceOrderInput', () => {
  const base = { merchantId, addressId, idempotencyKey: 'k1' };

  it('hashes the input without the key, and normalizes empty text', () => {
    const a = parsePlaceOrderInput({ ...base, remark: '' });
    const b = parsePlaceOrderInput({ ...base, idempotencyKey: 'k2', remark: null });
    const c = parsePlaceOrderInput({ ...base, remark: '不要香菜' });
    expect(a.requestHash).toBe(b.requestHash);
    expect(c.requestHash).not.toBe(a.requestHash);
    expect(c.remark).toBe('不要香菜');
  });

  it('refuses out-of-range fields with their names', () => {
    expect(fieldOf(() => parsePlaceOrderInput({ ...base, idempotencyKey: '' }))).toBe(
      'BAD_USER_INPUT:idempotencyKey',
    );
    expect(fieldOf(() => parsePlaceOrderInput({ ...base, tablewareCount: -1 }))).toBe(
      'BAD_USER_INPUT:tablewareCount',
    );
    expect(fieldOf(() => parsePlaceOrderInput({ ...base, remark: 'x'.repeat(201) }))).toBe(
      'BAD_USER_INPUT:remark',
    );
  });
});

describe('checkDeliveryTime', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const inMinutes = (m: number) => new Date(now.getTime() + m * 60_000);

  it('accepts as soon as possible and 30 minutes to 7 days ahead', () => {
    expect(fieldOf(() => checkDeliveryTime(null, now))).toBe('ok');
    expect(fieldOf(() => checkDeliveryTime(inMinutes(30), now))).toBe('ok');
    expect(fieldOf(() => checkDeliveryTime(inMinutes(7 * 24 * 60), now))).toBe('ok');
    expect(fieldOf(() => checkDeliveryTime(inMinutes(29), now))).toBe('BAD_USER_INPUT:deliverAt');
    expect(fieldOf(() => checkDeliveryTime(inMinutes(7 * 24 * 60 + 1), now))).toBe(
      'BAD_USER_INPUT:deliverAt',
    );
  });
});

describe('parseReason', () => {
  it('requires a reason where the action needs one', () => {
    expect(parseReason(' too busy ', true)).toBe('too busy');
    expect(parseReason(null, false)).toBeNull();
    expect(fieldOf(() => parseReason('  ', true))).toBe('BAD_USER_INPUT:reason');
  });
});
