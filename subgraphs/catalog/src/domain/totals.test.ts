import { describe, expect, it } from 'vitest';
import { orderTotals } from './totals.ts';

describe('orderTotals', () => {
  it('adds line totals, a packing fee per unit and one delivery fee, in integers', () => {
    expect(
      orderTotals(
        [
          { quantity: 2, unitPriceAmount: 1500 },
          { quantity: 1, unitPriceAmount: 2500 },
        ],
        { packingFeePerItemAmount: 100, deliveryFeeAmount: 300 },
      ),
    ).toEqual({
      units: 3,
      itemsTotalAmount: 5500,
      packingFeeAmount: 300,
      deliveryFeeAmount: 300,
      totalAmount: 6100,
      lineTotalAmounts: [3000, 2500],
    });
  });

  it('refuses a total that Money.amount (a GraphQL Int) cannot carry', () => {
    expect(() =>
      orderTotals([{ quantity: 999, unitPriceAmount: 100_000_000 }], {
        packingFeePerItemAmount: 0,
        deliveryFeeAmount: 0,
      }),
    ).toThrow(/too large/);
  });
});
