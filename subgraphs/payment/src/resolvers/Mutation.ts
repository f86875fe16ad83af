import type { MutationResolvers } from '../__generated__/resolvers-types.ts';

export const Mutation: MutationResolvers = {
  // The shield lets only signed-in callers through; the service checks the order is theirs.
  payOrder: (_parent, { input }, { viewer, payments, requestId }) =>
    payments.payOrder(
      viewer!,
      {
        orderId: input.orderId,
        method: input.method ?? 'SANDBOX',
        idempotencyKey: input.idempotencyKey,
        testOutcome: input.testOutcome ?? null,
      },
      requestId,
    ),
};
