import { describe, expect, it } from 'vitest';
import { isUuid } from '@sky/database';
import { newOrderNumber, uuidv7 } from './ids.ts';

describe('uuidv7', () => {
  it('is a version-7 UUID that sorts by creation time', () => {
    const a = uuidv7(1_700_000_000_000);
    const b = uuidv7(1_700_000_000_001);
    expect(isUuid(a)).toBe(true);
    expect(a[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(a[19]);
    expect(a < b).toBe(true);
  });
});

describe('newOrderNumber', () => {
  it('numbers by the day in China', () => {
    // 2026-11-25 20:00 UTC is already 2026-11-26 in Shanghai.
    const number = newOrderNumber(new Date('2026-11-25T20:00:00Z'));
    expect(number).toMatch(/^SKY20261126\d{10}$/);
    expect(number.length).toBeLessThanOrEqual(32);
  });
});
