import { describe, expect, it } from 'vitest';
import { Deadline } from './deadline.ts';

describe('the budget an incoming request brings', () => {
  it("is the caller's when smaller, never more than ours", () => {
    expect(Deadline.fromHeader('200', 15_000)!.remainingMs()).toBeLessThanOrEqual(200);
    expect(Deadline.fromHeader('60000', 1_000)!.remainingMs()).toBeLessThanOrEqual(1_000);
  });

  it('is ours when the header is missing or not a number', () => {
    expect(Deadline.fromHeader(undefined, 1_000)!.remainingMs()).toBeGreaterThan(500);
    expect(Deadline.fromHeader('soon', 1_000)!.remainingMs()).toBeGreaterThan(500);
  });

  it('is none (the request is refused) when the caller has spent it', () => {
    expect(Deadline.fromHeader('0', 1_000)).toBeNull();
    expect(Deadline.fromHeader('-5', 1_000)).toBeNull();
    expect(new Deadline(0).expired).toBe(true);
  });
});
