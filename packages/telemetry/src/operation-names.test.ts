import { describe, expect, it } from 'vitest';
import { ANONYMOUS_OPERATION, OperationNameFolder, OTHER_OPERATIONS } from './operation-names.ts';

describe('OperationNameFolder', () => {
  it('keeps names up to the cap and folds every later new name into (other)', () => {
    const folder = new OperationNameFolder({ maxNames: 2 });
    expect(folder.fold('MyOrders')).toBe('MyOrders');
    expect(folder.fold('PlaceOrder')).toBe('PlaceOrder');
    expect(folder.fold('Attack1')).toBe(OTHER_OPERATIONS);
    expect(folder.fold('Attack2')).toBe(OTHER_OPERATIONS);
    // Names kept before the cap was reached stay themselves.
    expect(folder.fold('MyOrders')).toBe('MyOrders');
  });

  it('gives unnamed operations one fixed label that does not use up the cap', () => {
    const folder = new OperationNameFolder({ maxNames: 1 });
    expect(folder.fold(undefined)).toBe(ANONYMOUS_OPERATION);
    expect(folder.fold(null)).toBe(ANONYMOUS_OPERATION);
    expect(folder.fold('')).toBe(ANONYMOUS_OPERATION);
    expect(folder.fold('Menu')).toBe('Menu');
  });

  it('keeps only the trusted documents’ names when a manifest is loaded', () => {
    const folder = new OperationNameFolder({
      maxNames: 100,
      trustedNames: new Set(['PlaceOrder']),
    });
    expect(folder.fold('PlaceOrder')).toBe('PlaceOrder');
    expect(folder.fold('Untrusted')).toBe(OTHER_OPERATIONS);
  });

  it('keeps a hundred thousand distinct names down to cap + 1 label values', () => {
    const folder = new OperationNameFolder({ maxNames: 50 });
    const labels = new Set<string>();
    for (let i = 0; i < 100_000; i++) labels.add(folder.fold(`Op${i}`));
    expect(labels.size).toBe(51);
  });
});
