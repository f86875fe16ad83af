import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { DocumentLimits } from './document-limits.ts';

/**
 * Validation rules never see the variables, so the cost is checked once the operation is
 * resolved and before it executes (at the gateway: before any subgraph is called). A refusal
 * is GRAPHQL_VALIDATION_FAILED with HTTP 400, like the other limits.
 */
export function costLimitPlugin<Context extends BaseContext>(
  limits: DocumentLimits,
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          const refusal = limits.checkCost(
            schema,
            document,
            request.variables,
            operationName ?? undefined,
          );
          if (refusal) throw refusal;
        },
      };
    },
  };
}
