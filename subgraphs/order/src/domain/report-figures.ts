/** Counts and sums of orders over a period (a day, a range). */
export interface OrderCounts {
  orders: number;
  validOrders: number;
  cancelledOrders: number;
  turnover: number;
}

/** `OrderFigures` as the schema gives them: the counts plus the reference's two ratios. */
export interface OrderFigures extends OrderCounts {
  completionRate: number;
  averageOrderValue: number;
}

export const NO_ORDERS: OrderCounts = {
  orders: 0,
  validOrders: 0,
  cancelledOrders: 0,
  turnover: 0,
};

/** The reference's ratios: completion rate = valid / all, average order value = turnover / valid. */
export function orderFigures(counts: OrderCounts = NO_ORDERS): OrderFigures {
  return {
    orders: counts.orders,
    validOrders: counts.validOrders,
    cancelledOrders: counts.cancelledOrders,
    turnover: counts.turnover,
    completionRate: counts.orders === 0 ? 0 : counts.validOrders / counts.orders,
    averageOrderValue:
      counts.validOrders === 0 ? 0 : Math.round(counts.turnover / counts.validOrders),
  };
}

/** The counts of several periods added up. */
export function sumCounts(periods: OrderCounts[]): OrderCounts {
  return periods.reduce(
    (sum, period) => ({
      orders: sum.orders + period.orders,
      validOrders: sum.validOrders + period.validOrders,
      cancelledOrders: sum.cancelledOrders + period.cancelledOrders,
      turnover: sum.turnover + period.turnover,
    }),
    NO_ORDERS,
  );
}
