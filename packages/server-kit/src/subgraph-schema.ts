import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { isObjectType, parse, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import type { IMiddlewareGenerator } from 'graphql-middleware';

type ResolveReferenceExtensions = {
  apollo?: { subgraph?: { resolveReference?: unknown } };
};

/**
 * graphql-middleware rebuilds the schema and can drop the `__resolveReference` functions that
 * @apollo/subgraph keeps in type extensions (graphql-shield#1387), which silently turns every
 * `_entities` answer into bare references. Copy them back onto the rebuilt types.
 */
function restoreReferenceResolvers(original: GraphQLSchema, rebuilt: GraphQLSchema): void {
  for (const [name, type] of Object.entries(original.getTypeMap())) {
    if (!isObjectType(type)) continue;
    const resolveReference = (type.extensions as ResolveReferenceExtensions).apollo?.subgraph
      ?.resolveReference;
    if (!resolveReference) continue;
    const target = rebuilt.getType(name);
    if (!isObjectType(target)) continue;
    const extensions = target.extensions as ResolveReferenceExtensions;
    if (extensions.apollo?.subgraph?.resolveReference) continue;
    (target as { extensions: ResolveReferenceExtensions }).extensions = {
      ...extensions,
      apollo: {
        ...extensions.apollo,
        subgraph: { ...extensions.apollo?.subgraph, resolveReference },
      },
    };
  }
}

/** Builds a federated subgraph schema from its SDL file and resolvers, with the shield applied. */
export function buildProtectedSubgraphSchema(options: {
  typeDefs: string;
  resolvers: object;
  permissions: IMiddlewareGenerator<unknown, unknown, unknown>;
}): GraphQLSchema {
  const schema = buildSubgraphSchema([
    {
      typeDefs: parse(options.typeDefs),
      resolvers: options.resolvers as GraphQLResolverMap<unknown>,
    },
  ]);
  const protectedSchema = applyMiddleware(schema, options.permissions);
  restoreReferenceResolvers(schema, protectedSchema);
  return protectedSchema;
}
