import { badUserInput } from '@sky/errors';

/** The largest amount a GraphQL `Int` (and so `Money.amount`) can carry. */
export const MAX_INT_AMOUNT = 2_147_483_647;

export interface QuantifiedLine {
  quantity: number;
  unitPriceAmount: number;
}

export interface FeeSchedule {
  packingFeePerItemAmount: number;
  deliveryFeeAmount: number;
}

export interface OrderTotals {
  /** Units ordered: every copy of a dish or set meal counts once. */
  units: number;
  itemsTotalAmount: number;
  packingFeeAmount: number;
  deliveryFeeAmount: number;
  totalAmount: number;
  lineTotalAmounts: number[];
}

/**
 * The authoritative arithmetic of an order, in integer minor units: line totals, the items
 * subtotal, the packing fee per unit and the delivery fee once. Refuses (BAD_USER_INPUT on
 * `items`) a total beyond what `Money.amount` can carry rather than overflowing.
 */
export function orderTotals(lines: readonly QuantifiedLine[], fees: FeeSchedule): OrderTotals {
  const lineTotalAmounts = lines.map((line) => line.quantity * line.unitPriceAmount);
  const units = lines.reduce((sum, line) => sum + line.quantity, 0);
  const itemsTotalAmount = lineTotalAmounts.reduce((sum, amount) => sum + amount, 0);
  const packingFeeAmount = units * fees.packingFeePerItemAmount;
  const totalAmount = itemsTotalAmount + packingFeeAmount + fees.deliveryFeeAmount;
  if (!Number.isSafeInteger(totalAmount) || totalAmount > MAX_INT_AMOUNT) {
    throw badUserInput(
      'The order is too large: its total exceeds what one order can hold.',
      'items',
    );
  }
  return {
    units,
    itemsTotalAmount,
    packingFeeAmount,
    deliveryFeeAmount: fees.deliveryFeeAmount,
    totalAmount,
    lineTotalAmounts,
  };
}
