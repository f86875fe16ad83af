import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { DocumentLimits } from './document-limits.ts';

/**
 * Validation rules never see the variables, so the cost is checked once the operation is
 * resolved and before it executes (at the gateway: before any subgraph is called). A refusal
 * is GRAPHQL_VALIDATION_FAILED with HTTP 400, like the other limits. The operation must exist
 * by then, too.
 */
export function costLimitPlugin<Context extends BaseContext>(
  limits: DocumentLimits,
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operation, operationName }) {
          // Apollo leaves an unknown operation name to the executor, and the gateway's executor
          // throws (a 500): refuse it here, as a subgraph's own executor would (400).
          if (!operation) {
            throw new GraphQLError(
              request.operationName
                ? `Unknown operation named "${request.operationName}".`
                : 'Must provide an operation name when the document contains several operations.',
              { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } },
            );
          }
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
